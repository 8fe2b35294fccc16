from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("grade evaluation")

    def ready(self):
        from partybuilding.dashboard import register_dashboard_panel
        from partybuilding.ledger.selectors import register_ledger_extension

        from .dashboard import EVALUATION_PANEL
        from .ledger import GRADE

        register_ledger_extension(GRADE)
        register_dashboard_panel(EVALUATION_PANEL)

        from core.concurrency import connect_version_receivers

        from .models import Evaluation

        connect_version_receivers(Evaluation)  # optimistic locking
