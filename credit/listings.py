"""What the other workflows read of the lists (R-CR-16, the ledger, the organization's page and
the annual-check review): which organizations are on which list on a day, and since when. Reads
only; the entries are written by the credit workflow."""

import datetime

from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext

from core import calendar

from .choices import PUBLIC_STATUSES, CreditList
from .models import ListEntry
from .selectors import on_list_condition


def on_list_as_of(as_of: datetime.date | None = None) -> Q:
    """Entries on a list on `as_of`: today (or later) those in force; on an earlier day those
    listed by then and not yet removed (a decided entry keeps its dates)."""
    if as_of is None or as_of >= calendar.today():
        return on_list_condition()
    return Q(status__in=PUBLIC_STATUSES, listed_on__lte=as_of) & (
        Q(removed_on__isnull=True) | Q(removed_on__gt=as_of)
    )


def listed_since(organizations, as_of: datetime.date | None = None) -> dict[int, tuple]:
    """(first day on the serious list, first day on the abnormal list) of each organization on a
    list on `as_of`, None for a list it is not on: one query. `organizations` is a list of ids
    or a query of the entries to read (the ledger's chunk, narrowed its own way)."""
    if isinstance(organizations, QuerySet):
        entries = organizations
    elif organizations:
        entries = ListEntry.objects.filter(organization_id__in=list(organizations))
    else:
        return {}
    rows = (
        entries.filter(on_list_as_of(as_of))
        .values("organization_id", "credit_list")
        .annotate(since=Min("listed_on"))
        .order_by()
    )
    found: dict[int, dict] = {}
    for row in rows:
        found.setdefault(row["organization_id"], {})[row["credit_list"]] = row["since"]
    return {
        pk: (lists.get(CreditList.SERIOUS), lists.get(CreditList.ABNORMAL))
        for pk, lists in found.items()
    }


def listings_of(organization_id: int, as_of: datetime.date | None = None) -> list[ListEntry]:
    """The organization's entries on a list on `as_of`, serious first, earliest first."""
    return list(
        ListEntry.objects.filter(on_list_as_of(as_of), organization_id=organization_id).order_by(
            "-credit_list", "listed_on", "pk"
        )
    )


def credit_status_text(serious_since, abnormal_since) -> str:
    """ "严重违法失信名单（2019-03-01列入）；活动异常名录（2018-03-01列入）", or "" on neither."""
    parts = [
        gettext("%(list)s (listed %(date)s)")
        % {"list": credit_list.label, "date": f"{since:%Y-%m-%d}"}
        for credit_list, since in (
            (CreditList.SERIOUS, serious_since),
            (CreditList.ABNORMAL, abnormal_since),
        )
        if since is not None
    ]
    return "；".join(parts)


def listing_line(entry: ListEntry) -> str:
    """One listing in a sentence: "活动异常名录：未按规定报送年度工作报告（2018-03-01列入）"."""
    return gettext("%(list)s: %(ground)s (listed %(date)s)") % {
        "list": entry.get_credit_list_display(),
        "ground": entry.get_ground_display(),
        "date": f"{entry.listed_on:%Y-%m-%d}",
    }
