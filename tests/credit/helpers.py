"""Builders for the credit tests: entries in a given state, penalties, letters."""

import datetime
import itertools

from credit.choices import LIST_OF_GROUND, EntryStatus
from credit.models import ListEntry, Penalty, ReturnedLetter

_numbers = itertools.count(1)


def listed_entry(organization, ground, *, on, status=EntryStatus.LISTED, **fields):
    """An entry already decided (listed on `on`), as if confirmed by a clerk."""
    values = {
        "credit_list": LIST_OF_GROUND[ground],
        "status": status,
        "evidence_key": f"test:{next(_numbers)}",
        "proposed_on": on,
        "listed_on": on,
        "term_starts_on": on,
        "decision_number": f"长民信〔2018〕{next(_numbers)}号",
        "decision_text": "事实：测试",
        **fields,
    }
    return ListEntry.objects.create(organization=organization, ground=ground, **values)


def proposed_entry(organization, ground, *, on, **fields):
    return ListEntry.objects.create(
        organization=organization,
        ground=ground,
        credit_list=LIST_OF_GROUND[ground],
        evidence_key=fields.pop("evidence_key", f"test:{next(_numbers)}"),
        evidence=fields.pop("evidence", []),
        proposed_on=on,
        **fields,
    )


def penalty(organization, kind, *, on, amount=None):
    return Penalty.objects.create(
        organization=organization,
        kind=kind,
        amount_yuan=amount,
        department="长春市民政局",
        decision_number=f"长民罚〔2018〕{next(_numbers)}号",
        decided_on=on,
        effective_on=on,
        facts="未按规定开展活动",
        basis="《社会团体登记管理条例》",
    )


def letter(organization, *, sent_on, returned_after=10):
    return ReturnedLetter.objects.create(
        organization=organization,
        address=organization.address,
        tracking_number=f"EMS{next(_numbers):08d}",
        sent_on=sent_on,
        returned_on=sent_on + datetime.timedelta(days=returned_after),
    )
