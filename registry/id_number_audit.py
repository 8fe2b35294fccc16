"""Who saw full resident ID numbers (issue 8, MLPS 2.0 level 3 security audit): every page or
file that shows them unmasked writes one audit record, however many numbers it shows."""

from django.utils.translation import gettext

from audit.choices import AuditAction
from audit.services import audit_record, request_ip


def record_unmasked_view(request, *, model, count: int, where: str, object_id="") -> None:
    """One record for a page (or export) showing `count` full numbers of `model` rows; `where`
    names the page in Chinese (e.g. "党员列表")."""
    if not count:
        return
    audit_record(
        action=AuditAction.UNMASKED_VIEW,
        user=request.user,
        object_type=model._meta.label_lower,
        object_id=str(object_id or ""),
        summary=gettext("%(user)s saw %(count)s full ID numbers in “%(where)s”.")
        % {"user": request.user.get_username(), "count": count, "where": where},
        details={"count": count},
        ip_address=request_ip(request),
    )
