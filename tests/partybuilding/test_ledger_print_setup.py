"""The ledger workbook prints as a clerk files it (issue 19): A4 landscape, every column on the
width of the page, the title and header rows repeated on each page."""

import pytest
from openpyxl import load_workbook

from partybuilding.exports import LEDGER_SHEET, write_ledger
from partybuilding.ledger.selectors import ledger_rows
from registry.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_the_ledger_workbook_has_its_print_set_up(tmp_path):
    OrganizationFactory(name="长春市至爱居家养老服务中心")
    path = tmp_path / "ledger.xlsx"
    write_ledger(path, ledger_rows(Organization.objects.all()), title="党建工作台账")
    sheet = load_workbook(path)[LEDGER_SHEET]
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # One page wide (the attribute left out means its default, 1), as many pages down as needed.
    assert int(sheet.page_setup.fitToWidth or 1) == 1
    assert int(sheet.page_setup.fitToHeight) == 0
    assert sheet.print_title_rows == "$1:$2"
    assert "&P" in sheet.oddFooter.center.text
