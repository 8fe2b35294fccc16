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

        from notifications.signals import reminders_wanted

        from .reminders import reminders

        reminders_wanted.connect(reminders, dispatch_uid="evaluation.reminders")
        self._connect_aggregates(Evaluation)

    def _connect_aggregates(self, Evaluation):
        """The evaluation aggregates (`evaluation.aggregates`) move with every write of an
        evaluation and of a standing, and are recounted after a restore."""
        from django.db.models.signals import post_save, pre_delete, pre_save

        from core.backups import database_restored
        from partybuilding.signals import standing_keys_moved

        from . import aggregates

        pre_save.connect(
            aggregates.evaluation_before_save,
            sender=Evaluation,
            dispatch_uid="evaluation.aggregates.before_save",
        )
        post_save.connect(
            aggregates.evaluation_saved,
            sender=Evaluation,
            dispatch_uid="evaluation.aggregates.saved",
        )
        pre_delete.connect(
            aggregates.evaluation_before_delete,
            sender=Evaluation,
            dispatch_uid="evaluation.aggregates.before_delete",
        )
        standing_keys_moved.connect(
            aggregates.standings_moved, dispatch_uid="evaluation.aggregates.standings_moved"
        )
        database_restored.connect(
            aggregates.recount_after_restore, dispatch_uid="evaluation.aggregates.restored"
        )
