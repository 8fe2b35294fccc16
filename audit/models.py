"""The audit log (MLPS 2.0 level 3, security audit): append-only, each record carrying the hash
of the one before it, so that an edit, a removal or an insertion made behind the application's
back breaks the chain where it happened (`verify_audit_log`).

`audit.services.audit_record` is the only writer. Foreign keys carry no database constraint and
do nothing on delete: removing a user or a content type must never rewrite a record (that would
break its hash); the username is kept as a snapshot for the same reason."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction

GENESIS_HASH = "0" * 64


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk edits would bypass the chain; only the purge service removes rows (`_raw_delete`)."""

    def update(self, **kwargs):
        raise PermissionDenied(_("The audit log is append-only."))

    def delete(self):
        raise PermissionDenied(_("The audit log is append-only."))

    update.queryset_only = True
    delete.queryset_only = True


class AuditRecord(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequence number"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("occurred at"), editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    history_content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("history record type"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    history_id = models.PositiveBigIntegerField(_("history record id"), null=True, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-sequence"]
        # Only "view": nobody, the superuser included, is meant to add, change or delete.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["occurred_at"]),
            models.Index(fields=["user", "sequence"]),
            models.Index(fields=["action", "sequence"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.get_action_display()} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(_("The audit log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("The audit log is append-only."))


class AuditAnchor(models.Model):
    """Where the chain starts after a purge: the last purged record's number and hash."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    purged_before = models.DateField(_("purged before"))
    last_sequence = models.PositiveBigIntegerField(_("last purged sequence number"), unique=True)
    last_hash = models.CharField(_("last purged hash"), max_length=64)
    purged_count = models.PositiveBigIntegerField(_("records purged"))
    username = models.CharField(_("purged by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")
        ordering = ["-last_sequence"]
        default_permissions = ("view",)

    def __str__(self):
        return f"#{self.last_sequence} {self.last_hash[:12]}"
