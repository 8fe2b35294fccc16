"""Outside a transaction, on PostgreSQL, the export reads the ledger ahead in a thread with a
connection of its own; the workbook is the same as the one read in the caller's thread."""

import datetime

import pytest
from django.db import connection, transaction
from openpyxl import load_workbook

from partybuilding.exports import LEDGER_SHEET, write_ledger
from partybuilding.ledger.selectors import ledger_rows
from registry.models import Organization
from tests.factories import OrganizationFactory, add_members
from tests.partybuilding.test_ledger_export_enrichment import _check, _evaluation

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


def _lines(path):
    sheet = load_workbook(path, read_only=True)[LEDGER_SHEET]
    return [row for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_the_read_ahead_workbook_equals_the_one_read_in_the_callers_thread(
    reference_data, tmp_path
):
    for number in range(7):
        organization = OrganizationFactory()
        add_members(organization, number % 4)
        if number % 2:
            _check(organization, 2016, reviewed_on=D(2017, 5, 1), reason=f"理由{number}")
        if number % 3 == 0:
            _evaluation(organization, 2016, decided_on=D(2016, 12, 1), valid_until=D(2021, 12, 1))
    rows = ledger_rows(Organization.objects.all(), as_of=D(2018, 6, 1), chunk_size=3)
    expected = "_read_ahead" if connection.vendor == "postgresql" else "_chunks"
    assert rows.chunks(prefetch=True).__name__ == expected

    write_ledger(tmp_path / "fast.xlsx", rows, title="台账", as_of=D(2018, 6, 1))
    with transaction.atomic():  # no read-ahead thread inside a transaction
        assert rows.chunks(prefetch=True).__name__ == "_chunks"
        write_ledger(tmp_path / "plain.xlsx", rows, title="台账", as_of=D(2018, 6, 1))
    fast = _lines(tmp_path / "fast.xlsx")
    assert len(fast) == 7
    assert fast == _lines(tmp_path / "plain.xlsx")
    # The annual check's and the evaluation's columns, before the credit status (on no list).
    checks = [line[-3] for line in fast]
    grades = [line[-2] for line in fast]
    assert sum(1 for value in checks if value and value.endswith("）")) == 3
    assert sum(1 for value in grades if value) == 3
    assert not any(line[-1] for line in fast)
