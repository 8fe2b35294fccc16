"""The sheet of a workbook given by its path is read by a child process while the import writes
(`read_ahead`): the same rows, its errors raised in the import, no child left behind, and only
the file the archive checks accepted is read."""

import multiprocessing
import os
from contextlib import contextmanager

import pytest

from partybuilding.ledger_import import LedgerImportError, import_ledger
from partybuilding.ledger_import import importer as imports
from partybuilding.ledger_import.read_ahead import CHANGED
from registry.models import Organization
from tests.partybuilding.test_ledger_import import (  # noqa: F401 (the autouse fixture)
    ledger_sheet,
    organization_row,
    places,
    write_book,
)

pytestmark = pytest.mark.django_db


def test_a_path_is_read_by_a_child_process_and_a_file_object_in_process(tmp_path, monkeypatch):
    calls = []
    real = imports.read_ahead
    monkeypatch.setattr(imports, "read_ahead", lambda *a: calls.append(a) or real(*a))
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization_row() for _ in range(5)]))

    result = import_ledger(path, by=None)

    assert result.ok, result.report()
    assert (result.rows, result.created) == (5, 5)
    assert len(calls) == 1
    assert multiprocessing.active_children() == []
    with open(path, "rb") as handle:
        assert import_ledger(handle, by=None, dry_run=True).unchanged == 5
    assert len(calls) == 1


def test_an_import_stopped_early_leaves_no_child(tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    monkeypatch.setattr(imports, "MAX_ERRORS", 1)
    rows = [organization_row({"所属区": "不存在区"}) for _ in range(9)]
    path = write_book(tmp_path / "l.xlsx", ledger_sheet(rows))

    result = import_ledger(path, by=None)

    assert result.truncated and not Organization.objects.exists()
    assert multiprocessing.active_children() == []


def test_a_file_put_in_the_place_of_the_checked_one_is_not_read(tmp_path, monkeypatch):
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
