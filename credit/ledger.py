"""The ledger's 信用状态 column: the lists an organization is on at the ledger's date, each with
the day it was first listed (严重违法失信名单 first). Not a registry column (`basic`): the
import never reads it back."""

from django.utils.translation import pgettext_lazy

from partybuilding.ledger.selectors import LedgerExtension, of_organizations

FIELDS = ("credit_serious_since", "credit_abnormal_since")


def _latest(organization_ids, as_of) -> dict[int, tuple]:
    from .listings import listed_since
    from .models import ListEntry

    if not organization_ids:
        return {}
    return listed_since(of_organizations(ListEntry.objects.all(), list(organization_ids)), as_of)


def _display(row: dict) -> str:
    from .listings import credit_status_text

    return credit_status_text(*(row.get(field) for field in FIELDS))


CREDIT_STATUS = LedgerExtension(
    header=pgettext_lazy("listing", "credit status"),
    field="credit_status",
    width=30,
    fields=FIELDS,
    latest=_latest,
    display=_display,
)
