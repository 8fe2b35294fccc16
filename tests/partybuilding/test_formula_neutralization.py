"""Exports neutralize spreadsheet formulas (issue 8): an organization imported through the real
ledger import with a name such as =HYPERLINK("http://evil","x") and contact fields beginning
with + - @ comes out of every export as a text cell with its exact value and Excel's quote
prefix, never a formula. A tab or carriage return at the start is dropped by the import (it
strips cells), so those are stored directly (an older record, a database restore)."""

import datetime
import io

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from annualcheck.exports import write_annual_checks
from annualcheck.models import AnnualCheck
from annualcheck.selectors import annual_check_rows
from audit.choices import AuditAction
from audit.exports import audit_workbook_write
from audit.models import AuditRecord
from audit.selectors import audit_export_rows
from audit.services import audit_record
from evaluation.exports import write_evaluations
from evaluation.models import Evaluation
from evaluation.selectors import evaluation_rows
from evaluation.services import evaluation_open
from partybuilding.exports import LEDGER_SHEET, ledger_headers, write_ledger
from partybuilding.ledger.selectors import ledger_rows
from partybuilding.ledger_import import import_ledger
from registry.models import Organization
from tests.annualcheck.test_rules import submitted
from tests.factories import DistrictFactory, OrganizationFactory, StreetFactory, credit_code_for
from tests.partybuilding.test_ledger_import import ledger_sheet, organization_row, write_book

pytestmark = pytest.mark.django_db

EVIL_NAME = '=HYPERLINK("http://evil","x")'
IMPORTED = {
    "社会组织名称": EVIL_NAME,
    "法定代表人": "+王建国",
    "联系人": "-李晓梅",
    "所属街道": "",
}
STORED = {"name": "\t=1+1 长春市某协会", "legal_representative": "\r=2+2", "contact_person": "@李"}


def cells_by_header(sheet, header_row: int):
    """{header: [cell, …]} for the data rows under the header row."""
    headers = [cell.value for cell in sheet[header_row]]
    columns = {header: [] for header in headers}
    for row in sheet.iter_rows(min_row=header_row + 1):
        for header, cell in zip(headers, row, strict=False):
            columns[header].append(cell)
    return columns


def assert_quoted_text(cells, value):
    """One of `cells` holds `value`: as a string (not a formula) with the quote prefix."""
    matching = [
        cell for cell in cells if isinstance(cell.value, str) and unescape(cell.value) == value
    ]
    assert matching, f"{value!r} not among {[cell.value for cell in cells]}"
    for cell in matching:
        assert cell.data_type == "s"
        assert cell.quotePrefix is True


def as_text(path):
    """openpyxl saves a string beginning with = as a formula; the file a user sends has it as
    text (typed with a leading apostrophe, or written by another program)."""
    workbook = openpyxl.load_workbook(path)
    for row in workbook[LEDGER_SHEET].iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    workbook.save(path)


@pytest.fixture
def imported(tmp_path):
    """The hostile organization through the ledger import, and one stored directly."""
    StreetFactory()
    DistrictFactory(name="南关区", code="220102")
    path = write_book(
        tmp_path / "hostile.xlsx",
        ledger_sheet([organization_row(IMPORTED, code=credit_code_for("private_non_enterprise"))]),
    )
    as_text(path)
    result = import_ledger(path, by=None)
    assert result.ok, result.report()
    evil = Organization.objects.get(name=EVIL_NAME)
    assert (evil.legal_representative, evil.contact_person) == ("+王建国", "-李晓梅")
    stored = OrganizationFactory(supervisory_unit=None, **STORED)
    return evil, stored


def test_the_exported_ledger_keeps_formula_like_text_as_quoted_text(imported, tmp_path):
    target = tmp_path / "ledger.xlsx"

    assert write_ledger(target, ledger_rows(Organization.objects.all()), title="台账") == 2

    sheet = openpyxl.load_workbook(target)[LEDGER_SHEET]
    assert [cell.value for cell in sheet[2]] == ledger_headers()
    columns = cells_by_header(sheet, 2)
    assert_quoted_text(columns["社会组织名称"], EVIL_NAME)
    assert_quoted_text(columns["法定代表人"], "+王建国")
    assert_quoted_text(columns["联系人"], "-李晓梅")
    assert_quoted_text(columns["社会组织名称"], STORED["name"])
    assert_quoted_text(columns["法定代表人"], STORED["legal_representative"])
    assert_quoted_text(columns["联系人"], STORED["contact_person"])
    # Ordinary text is not marked: the quote prefix is not put on every cell.
    codes = columns["统一社会信用代码"]
    assert {cell.quotePrefix for cell in codes} == {False}


def test_the_annual_check_export_keeps_the_name_as_quoted_text(imported):
    evil, stored = imported
    submitted(evil)
    submitted(stored)
    target = io.BytesIO()

    count = write_annual_checks(
        target, annual_check_rows(AnnualCheck.objects.filter(year=2017)), year=2017
    )

    assert count == 2
    columns = cells_by_header(openpyxl.load_workbook(target).active, 2)
    assert_quoted_text(columns["社会组织名称"], EVIL_NAME)
    assert_quoted_text(columns["社会组织名称"], STORED["name"])


def test_the_evaluation_export_keeps_the_name_as_quoted_text(imported, clerk):
    evil, _stored = imported
    evaluation_open(organization=evil, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1))
    target = io.BytesIO()

    count = write_evaluations(target, evaluation_rows(Evaluation.objects.all()), year=2017)

    assert count == 1
    columns = cells_by_header(openpyxl.load_workbook(target).active, 2)
    assert_quoted_text(columns["社会组织名称"], EVIL_NAME)


def test_the_audit_log_export_keeps_a_typed_username_as_quoted_text():
    # A failed login records the name that was typed: anyone can put a formula there.
    audit_record(action=AuditAction.LOGIN_FAILED, username="@SUM(1+1)", summary=EVIL_NAME)
    target = io.BytesIO()

    count = audit_workbook_write(
        target, audit_export_rows(AuditRecord.objects.order_by("sequence"))
    )

    assert count == AuditRecord.objects.count()
    sheet = openpyxl.load_workbook(target).active
    cells = [cell for row in sheet.iter_rows(min_row=3) for cell in row]
    assert_quoted_text(cells, "@SUM(1+1)")
    assert_quoted_text(cells, EVIL_NAME)
