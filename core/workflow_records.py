"""The rows every workflow of core.workflow writes, as abstract models its apps complete with the
foreign key to their record (and their statuses' choices): one event per move (step 4 of
`Workflow.move`) and, for applications that can be returned, one snapshot per submission so a
reviewer sees what changed after a return."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkflowEvent(models.Model):
    """One row per move: who, when, from, to, why. A concrete event redeclares `from_status`
    and `to_status` with its statuses as choices, so its pages show their labels."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    from_status = models.CharField(_("from"), max_length=20)
    to_status = models.CharField(_("to"), max_length=20)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class WorkflowSubmission(models.Model):
    """What was submitted the `number`th time."""

    number = models.PositiveSmallIntegerField(_("submission"))
    submitted_at = models.DateTimeField(_("submitted at"))
    snapshot = models.JSONField(_("content"))

    class Meta:
        abstract = True
