from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("grade evaluation")

    def ready(self):
        from partybuilding.selectors import register_ledger_extension

        from .ledger import GRADE

        register_ledger_extension(GRADE)
