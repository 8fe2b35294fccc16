"""A large sheet of a workbook given by its path is read by a spawned child process while the
import checks and writes (`Sheet.batches`, `core.xlsx_read_ahead`): the same rows, its errors
raised in the import, no child left behind, and only the file the archive checks accepted is
read."""

import multiprocessing
import os
from contextlib import contextmanager

import pytest

from core import xlsx_read_ahead
from partybuilding.ledger_import import LedgerImportError, import_ledger
from partybuilding.ledger_import import importer as imports
from partybuilding.ledger_import import reader as readers
from partybuilding.ledger_import.reader import CHANGED
from registry.models import Organization
from tests.partybuilding.test_ledger_import import (  # noqa: F401 (the autouse fixture)
    ledger_sheet,
    organization_row,
    places,
    write_book,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def children(monkeypatch):
    """Every sheet read ahead, whatever its size; the sheets asked for counted."""
    calls = []
    real = xlsx_read_ahead.ReadAhead.batches

    def batches(self, *args):
        calls.append(args)
        return real(self, *args)

    monkeypatch.setattr(imports, "READ_AHEAD_ROWS", 0)
    monkeypatch.setattr(imports, "READ_AHEAD_BYTES", 0)
    monkeypatch.setattr(xlsx_read_ahead.ReadAhead, "batches", batches)
    return calls


def test_a_path_is_read_by_a_child_process_and_a_file_object_in_process(
    tmp_path, monkeypatch, children
):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    rows = [organization_row() for _ in range(5)]
    rows.insert(2, {})  # a blank line, skipped as in process
    path = write_book(tmp_path / "l.xlsx", ledger_sheet(rows))

    result = import_ledger(path, by=None)

    assert result.ok, result.report()
    assert (result.rows, result.created) == (5, 5)
    assert len(children) == 1
    assert multiprocessing.active_children() == []
    with open(path, "rb") as handle:
        again = import_ledger(handle, by=None, dry_run=True)
    assert (again.rows, again.unchanged) == (5, 5)
    assert len(children) == 1


def test_a_small_sheet_is_read_in_process(tmp_path):
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization_row()]))
    assert imports.READ_AHEAD_ROWS > 1

    assert import_ledger(path, by=None).created == 1
    assert multiprocessing.active_children() == []


def test_an_import_stopped_early_leaves_no_child(tmp_path, monkeypatch, children):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    monkeypatch.setattr(imports, "MAX_ERRORS", 1)
    rows = [organization_row({"所属区": "不存在区"}) for _ in range(9)]
    path = write_book(tmp_path / "l.xlsx", ledger_sheet(rows))

    result = import_ledger(path, by=None)

    assert result.truncated and not Organization.objects.exists()
    assert len(children) == 1
    assert multiprocessing.active_children() == []


def test_a_file_put_in_the_place_of_the_checked_one_is_not_read(tmp_path, monkeypatch, children):
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization_row()]))
    other = write_book(tmp_path / "other.xlsx", ledger_sheet([organization_row()] * 2))
    real = imports.ledger_sheets

    @contextmanager
    def then_replaced(handle):
        with real(handle) as sheets:
            os.replace(other, path)  # after the archive checks read the first file
            yield sheets

    monkeypatch.setattr(imports, "ledger_sheets", then_replaced)

    with pytest.raises(LedgerImportError, match=str(CHANGED)):
        import_ledger(path, by=None)
    assert not Organization.objects.exists()
    assert multiprocessing.active_children() == []


def test_broken_xml_found_by_the_child_is_the_import_s_error(tmp_path, monkeypatch, children):
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization_row()]))

    def broken(self, *args):
        raise xlsx_read_ahead.XlsxXmlError("xl/worksheets/sheet1.xml: mismatched tag")
        yield  # pragma: no cover

    # What the child sends back for broken XML: the reader's own error, raised here.
    monkeypatch.setattr(xlsx_read_ahead.ReadAhead, "batches", broken)

    with pytest.raises(LedgerImportError) as raised:
        import_ledger(path, by=None)
    assert str(raised.value) == str(readers.MALFORMED)
    assert not Organization.objects.exists()
    assert multiprocessing.active_children() == []


def test_a_child_that_dies_is_an_error_not_a_wait(tmp_path):
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization_row() for _ in range(3)]))
    ahead = xlsx_read_ahead.ReadAhead()
    ahead._child.kill()  # as the system would kill it
    ahead._child.join()
    try:
        with open(path, "rb") as handle, readers.ledger_sheets(handle) as (sheet, _members):
            with pytest.raises(RuntimeError, match="exit code"):
                list(sheet.batches(1, ahead=ahead, path=path, handle=handle))
    finally:
        ahead.close()
    assert multiprocessing.active_children() == []


def test_the_child_reads_the_records_the_process_reads(tmp_path):
    rows = [organization_row() for _ in range(7)]
    rows.insert(3, {"备注": ""})
    path = write_book(tmp_path / "l.xlsx", ledger_sheet(rows))
    ahead = xlsx_read_ahead.ReadAhead()
    try:
        with open(path, "rb") as handle, readers.ledger_sheets(handle) as (sheet, _members):
            in_process = list(sheet.batches(3))
            read = list(sheet.batches(3, ahead=ahead, path=path, handle=handle))
            again = list(sheet.batches(3, ahead=ahead, path=path, handle=handle))  # one child
    finally:
        ahead.close()
    assert read == again == in_process
    assert [len(batch) for batch in read] == [3, 3, 1]
    assert multiprocessing.active_children() == []
