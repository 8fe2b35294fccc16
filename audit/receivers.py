"""What the audit log records by itself: sign-ins and sign-outs, failed logins, lockouts,
group and permission changes, and every data change that simple_history records.

A data change costs one audit INSERT (plus the chain lock) per historical record, in the same
transaction. Bulk writes make no audit record: those that bypass simple_history (bulk_create,
queryset.update, raw SQL, COPY) write no historical record, and simple_history's own
bulk_create_with_history / bulk_history_create send no post_create_historical_record signal.
A caller that needs them audited records them itself: `audit_record` for the batch, and
`audit_record_many` for one record per written row (the ledger import:
`audit.bulk.BulkWrite`, which the bulk-write services build on).
"""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from core.permission_labels import permission_label

from .choices import AuditAction
from .services import audit_record, request_ip

HISTORY_TYPES = {"+": "create", "~": "update", "-": "delete"}
CHANGE_WORDS = {"+": _lazy("created"), "~": _lazy("changed"), "-": _lazy("deleted")}


def current_request():
    """The request being served, as simple_history's middleware keeps it (None in commands)."""
    return getattr(HistoricalRecords.context, "request", None)


def request_user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def on_logged_in(sender, request, user, **kwargs):
    audit_record(
        action=AuditAction.LOGIN,
        user=user,
        object_type="accounts.user",
        object_id=user.pk,
        summary=_("%(user)s logged in") % {"user": user.get_username()},
        ip_address=request_ip(request),
    )


def on_logged_out(sender, request, user, **kwargs):
    if user is None:
        return  # nobody was logged in
    audit_record(
        action=AuditAction.LOGOUT,
        user=user,
        object_type="accounts.user",
        object_id=user.pk,
        summary=_("%(user)s logged out") % {"user": user.get_username()},
        ip_address=request_ip(request),
    )


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the name is kept.
    username = str((credentials or {}).get("username") or "")
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        username=username,
        summary=_("Failed login as %(user)s") % {"user": username},
        ip_address=request_ip(request),
    )


def on_locked_out(sender, username, ip_address, locked_until, **kwargs):
    audit_record(
        action=AuditAction.LOCKOUT,
        username=username or "",
        summary=_("Account %(user)s locked out after repeated failed logins") % {"user": username},
        details={"locked_until": locked_until.isoformat()},
        ip_address=ip_address,
    )


def on_unlocked(sender, username, by, **kwargs):
    audit_record(
        action=AuditAction.UNLOCK,
        user=by,
        object_type="accounts.user",
        summary=_("%(by)s unlocked account %(user)s before its lock ran out")
        % {"by": by.get_username(), "user": username},
        details={"username": username},
        ip_address=request_ip(current_request()),
    )


M2M_OPERATIONS = {"post_add": "add", "post_remove": "remove", "pre_clear": "clear"}
OPERATION_WORDS = {
    "add": pgettext_lazy("permission change", "granted"),
    "remove": pgettext_lazy("permission change", "revoked"),
    "clear": pgettext_lazy("permission change", "cleared"),
}


def member_names(model, pk_set) -> list[str]:
    members = model.objects.filter(pk__in=pk_set)
    if model is Permission:
        # "app_label.codename", one query: str(permission) would read each content type.
        members = members.select_related("content_type")
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in members)
    return sorted(str(member) for member in members)


def member_labels(model, pk_set) -> list[str]:
    """Permissions as people read them (issue 19): "年检 | 整改事项 | 可修改整改事项"."""
    members = model.objects.filter(pk__in=pk_set).select_related("content_type")
    return sorted(permission_label(member) for member in members)


def m2m_receiver(*, kind: str, relation: str, reverse_relation: str):
    """A receiver for one many-to-many relation that grants rights (a user's groups, a user's
    or a group's permissions): one record per change, naming the owner and what it concerns.
    `relation` / `reverse_relation` name the manager on each side, to read what a clear drops."""

    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        operation = M2M_OPERATIONS.get(action)
        if operation is None:
            return
        if operation == "clear":
            # By post_clear the rows are gone: read them now.
            manager = getattr(instance, reverse_relation if reverse else relation)
            pk_set = set(manager.values_list("pk", flat=True))
        if not pk_set:
            return
        names = member_names(model, pk_set)
        request = current_request()
        # In the bureau's language even when written by `migrate` (which runs untranslated).
        with translation.override(settings.LANGUAGE_CODE):
            shown = member_labels(model, pk_set) if model is Permission else names
            summary = _("%(owner)s: %(operation)s %(members)s") % {
                "owner": str(instance),
                "operation": OPERATION_WORDS[operation],
                "members": pgettext("list separator", ", ").join(shown),
            }
        audit_record(
            action=kind,
            user=request_user(request),
            object_type=f"{instance._meta.app_label}.{instance._meta.model_name}",
            object_id=instance.pk,
            summary=summary,
            details={
                "relation": sender._meta.label_lower,
                "operation": operation,
                "members": f"{model._meta.app_label}.{model._meta.model_name}",
                "ids": sorted(pk_set),
                "names": names,
            },
            ip_address=request_ip(request),
        )

    return receiver


def on_history_created(sender, instance, history_instance, history_user=None, **kwargs):
    """One data_change per historical record, linking it; the user is the history's user."""
    history_type = history_instance.history_type
    object_type = f"{instance._meta.app_label}.{instance._meta.model_name}"
    request = current_request()
    audit_record(
        action=AuditAction.DATA_CHANGE,
        user=history_user,
        object_type=object_type,
        object_id=instance.pk,
        summary=_("%(change)s %(model)s %(object)s")
        % {
            "change": CHANGE_WORDS.get(history_type, history_type),
            "model": instance._meta.verbose_name,
            "object": str(instance)[:200],
        },
        details={"history_type": history_type, "operation": HISTORY_TYPES.get(history_type)},
        ip_address=request_ip(request),
        history_content_type=ContentType.objects.get_for_model(sender),
        history_id=history_instance.pk,
    )
