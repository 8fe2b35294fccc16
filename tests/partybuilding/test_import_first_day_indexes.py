"""A first-day import on SQLite (issue 15): the secondary indexes of the tables it fills are
dropped inside its transaction and built again before the commit, from their own SQL; a failed
import leaves the schema as it was, since the rollback takes the DDL back too. PostgreSQL keeps
its indexes (DROP INDEX would lock its readers out)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partybuilding.ledger_import import import_ledger
from partybuilding.ledger_import import importer as imports
from registry.models import Organization
from tests.factories import OrganizationFactory
from tests.partybuilding.test_ledger_import import (  # noqa: F401 (the autouse fixture)
    ledger_sheet,
    organization_row,
    places,
    write_book,
)

pytestmark = pytest.mark.django_db


def schema() -> list[tuple]:
    """Every index of the database, with its definition."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
            )
        else:
            cursor.execute(
                "SELECT indexname, tablename, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() ORDER BY indexname"
            )
        return cursor.fetchall()


def dropped(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("DROP INDEX")]


@pytest.fixture
def small_first_day(monkeypatch):
    """Any sheet counts as a first day's, however few its rows."""
    monkeypatch.setattr(imports, "FIRST_DAY_ROWS", 0)


def test_a_first_day_import_builds_every_index_again_as_it_was(tmp_path, small_first_day):
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization_row() for _ in range(3)]))
    before = schema()

    with CaptureQueriesContext(connection) as captured:
        result = import_ledger(path, by=None)

    assert result.ok, result.report()
    assert result.created == 3
    assert schema() == before  # names, tables and SQL
    if connection.vendor == "sqlite":
        names = {statement.split('"')[1] for statement in dropped(captured)}
        assert "registry_organization_name_3c911610" in names
        assert "organization_ledger" in names
        assert not any(name.startswith("sqlite_autoindex") for name in names)
        assert all("UNIQUE" not in sql for name, _table, sql in before if name in names)
    else:
        assert dropped(captured) == []
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_a_failed_first_day_import_leaves_every_index(tmp_path, small_first_day, monkeypatch):
    rows = [organization_row() for _ in range(20)]  # the one stored is under a tenth of them
    # As if someone registered the second code between the batch's lookup and its write.
    OrganizationFactory(credit_code=rows[1]["统一社会信用代码"])
    monkeypatch.setattr(imports, "_stored_organizations", lambda codes: {})
    path = write_book(tmp_path / "l.xlsx", ledger_sheet(rows))
    before = schema()

    with CaptureQueriesContext(connection) as captured:
        result = import_ledger(path, by=None)

    assert not result.ok and result.created == 0
    assert bool(dropped(captured)) == (connection.vendor == "sqlite")
    assert schema() == before
    assert Organization.objects.count() == 1


def test_an_import_failing_at_the_end_leaves_every_index(tmp_path, small_first_day, monkeypatch):
    def fail(self):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(imports._Importer, "_finish", fail)
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization_row() for _ in range(3)]))
    before = schema()

    with pytest.raises(RuntimeError):
        import_ledger(path, by=None)

    assert schema() == before
    assert not Organization.objects.exists()


def test_a_dry_run_leaves_every_index(tmp_path, small_first_day):
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization_row() for _ in range(3)]))
    before = schema()

    result = import_ledger(path, by=None, dry_run=True)

    assert result.ok and result.created == 3
    assert schema() == before
    assert not Organization.objects.exists()


def test_a_registry_holding_a_tenth_of_the_sheet_keeps_its_indexes(tmp_path, small_first_day):
    OrganizationFactory()  # 1 organization; the sheet's 6 rows (title, header, 4) → limit 1
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization_row() for _ in range(4)]))

    with CaptureQueriesContext(connection) as captured:
        result = import_ledger(path, by=None)

    assert result.ok, result.report()
    assert dropped(captured) == []
