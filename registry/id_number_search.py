"""Searches by a full resident ID number (R-ID-2). A search that finds a member by a number
confirms a guess: with the mask's ~16,600 candidates, unlimited searches would undo it. So every
such search writes an audit record (the number's keyed digest, never the number), and a user
without the unmask permission may make only ID_NUMBER_SEARCHES_PER_HOUR of them an hour.

The count is taken atomically per user on SQLite and PostgreSQL, as the login lockout's is
(accounts.lockout): parallel requests cannot search more numbers than the limit."""

import datetime
import hashlib

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_record, request_ip
from core.id_numbers import id_number_digest
from core.identity import can_see_id_numbers

from .models import IdNumberSearch

WINDOW = datetime.timedelta(hours=1)


def searches_per_hour() -> int:
    return settings.REGISTRY["ID_NUMBER_SEARCHES_PER_HOUR"]


def _serialize(user_id: int) -> None:
    """One search at a time counts for a user until the caller's transaction ends (PostgreSQL:
    an advisory lock; SQLite: the transaction's first statement is a write, one writer at a
    time)."""
    connection = connections[router.db_for_write(IdNumberSearch)]
    if connection.vendor == "postgresql":
        digest = hashlib.sha256(f"registry.id_number_search:{user_id}".encode()).digest()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
            )


def id_number_search_allowed(*, user, number: str, where: str, request=None) -> bool:
    """Count and audit a search by the full number `number` on the page `where` (Chinese):
    whether it may run. Refused, once the hour's limit is reached, for users who see numbers
    masked; the refusal is audited too."""
    unmasked = can_see_id_numbers(user)
    limit = searches_per_hour()
    with transaction.atomic():
        _serialize(user.pk)
        now = timezone.now()
        search = IdNumberSearch.objects.create(user=user, at=now)
        IdNumberSearch.objects.filter(at__lte=now - WINDOW).delete()
        counted = IdNumberSearch.objects.filter(user=user).count()
        allowed = unmasked or counted <= limit
        if not allowed:
            search.delete()  # refused searches do not push the window further out
    name = user.get_username()
    audit_record(
        action=AuditAction.ID_NUMBER_SEARCH,
        user=user,
        object_type="partybuilding.partymember",
        summary=(
            _("%(user)s searched by a full ID number in “%(where)s”.")
            % {"user": name, "where": where}
            if allowed
            else _(
                "%(user)s searched by a full ID number in “%(where)s”, over the limit of "
                "%(limit)s an hour: refused."
            )
            % {"user": name, "where": where, "limit": limit}
        ),
        details={
            "where": where,
            "id_number_digest": id_number_digest(number)[:16],
            "allowed": allowed,
            "searches_this_hour": counted,
        },
        ip_address=request_ip(request),
    )
    return allowed


def id_number_search_refused_message() -> str:
    return _(
        "At most %(limit)d searches by a full resident ID number an hour are allowed for "
        "accounts that see ID numbers masked, and this hour's are used up. Search by name, or "
        "try again within the hour; every such search is recorded in the audit log."
    ) % {"limit": searches_per_hour()}


def id_number_lookups_record(*, user, where: str, request=None, **details) -> None:
    """A page that matched many full numbers against the stored members at once (a ledger
    import, a dry run included): one audit record, the numbers left out. Not limited: the
    numbers come in a file the user holds, and the import's own rules decide what it shows."""
    audit_record(
        action=AuditAction.ID_NUMBER_SEARCH,
        user=user,
        object_type="partybuilding.partymember",
        summary=_("%(user)s checked the Party members of a file by full ID number in “%(where)s”.")
        % {"user": user.get_username(), "where": where},
        details={"where": where, **details},
        ip_address=request_ip(request),
    )
