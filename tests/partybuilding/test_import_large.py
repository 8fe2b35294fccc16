"""The ledger import at size: batches written as they are checked, one transaction rolled back
on any error, history and Party-building figures kept, queries per batch and not per row."""

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo.ledger_sample import sample_credit_code, sample_id_number, write_sample_ledger
from partybuilding.exports import COLUMNS, LEDGER_SHEET, write_ledger
from partybuilding.ledger.selectors import ledger_rows
from partybuilding.ledger_import import import_ledger
from partybuilding.ledger_import import importer as imports
from partybuilding.models import PartyMember, Standing
from partybuilding.standings.selectors import with_party_building
from registry.models import Organization, Street, SupervisoryUnit
from registry.services import divisions_import

pytestmark = pytest.mark.django_db

BASIC = [column.header for column in COLUMNS if column.basic]


@pytest.fixture(autouse=True)
def divisions():
    divisions_import()


def basic_rows(path) -> dict[str, tuple]:
    """The basic columns of a ledger workbook, by credit code."""
    sheet = openpyxl.load_workbook(path, read_only=True)[LEDGER_SHEET]
    rows = sheet.iter_rows(min_row=2, values_only=True)
    index = {header: position for position, header in enumerate(next(rows))}
    code = index["统一社会信用代码"]
    return {row[code]: tuple(row[index[header]] for header in BASIC) for row in rows}


def test_a_2100_row_ledger_with_members_round_trips_through_export(tmp_path, clerk):
    source = tmp_path / "source.xlsx"
    write_sample_ledger(source, 2100, members=2300)

    result = import_ledger(source, by=clerk)

    assert result.ok, result.report()
    assert (result.created, result.members_created, result.rows) == (2100, 2300, 4400)
    assert result.supervisory_units_created == 3
    assert result.seconds > 0 and "共读取4400行" in result.timing()
    exported = tmp_path / "exported.xlsx"
    write_ledger(exported, ledger_rows(Organization.objects.all()), title="t")
    assert basic_rows(exported) == basic_rows(source)
    # Each created row has its history, with its author, as a save() would give it.
    history = Organization.history.filter(history_type="+")
    assert history.count() == 2100
    assert set(history.values_list("history_user", flat=True)) == {clerk.pk}
    assert PartyMember.history.filter(history_type="+", history_user=clerk).count() == 2300
    assert Organization.objects.filter(bureau_managed=True).count() == 525  # 长春市民政局
    # Bulk writes skip save(): the Party-building figures were refreshed all the same.
    first = Organization.objects.get(credit_code=sample_credit_code(0))
    members = PartyMember.objects.filter(organization=first)
    assert members.count() == 2  # members 0 and 2100
    assert Standing.objects.filter(organization__in=Organization.objects.all()).count() == 2100
    row = with_party_building(Organization.objects.filter(pk=first.pk)).get()
    assert row.full_members + row.probationary_members == 2


def test_importing_the_same_large_ledger_again_changes_nothing(tmp_path):
    source = tmp_path / "source.xlsx"
    write_sample_ledger(source, 1200, members=1200)
    assert import_ledger(source).ok
    history = Organization.history.count(), PartyMember.history.count()

    result = import_ledger(source)

    assert (result.unchanged, result.members_unchanged) == (1200, 1200)
    assert (result.created, result.updated, result.members_updated) == (0, 0, 0)
    assert (Organization.history.count(), PartyMember.history.count()) == history


def test_updates_across_batches_are_written_with_their_history(tmp_path, clerk):
    first = tmp_path / "first.xlsx"
    write_sample_ledger(first, 1500)
    assert import_ledger(first).ok
    second = tmp_path / "second.xlsx"
    write_sample_ledger(second, 1500, changes={1400: {"contact_person": "孙国华"}})

    result = import_ledger(second, by=clerk)

    assert (result.updated, result.unchanged) == (1, 1499), result.report()
    changed = Organization.objects.get(credit_code=sample_credit_code(1400))
    assert changed.contact_person == "孙国华"
    assert changed.updated_at > changed.created_at
    latest = changed.history.latest()
    assert (latest.history_type, latest.contact_person, latest.history_user) == (
        "~",
        "孙国华",
        clerk,
    )


def test_an_error_on_row_1500_rolls_back_the_batches_already_written(tmp_path):
    # Row number n of the sample is on Excel row n + 3; the first batch (rows 3–1002) is written
    # before row 1500 is read.
    path = tmp_path / "ledger.xlsx"
    changes = {1497: {"district__name": "东城区"}, 10: {"supervisory_unit__name": "新设单位"}}
    write_sample_ledger(path, 2100, members=50, changes=changes)
    units, streets = SupervisoryUnit.objects.count(), Street.objects.count()

    result = import_ledger(path)

    assert [(e.sheet, e.row, e.column) for e in result.errors] == [(LEDGER_SHEET, 1500, "所属区")]
    assert result.errors[0].message.startswith("未知的所属区“东城区”，可选：")
    assert result.report().startswith("导入失败：发现1处错误，未写入任何数据。")
    assert (result.created, result.members_created, result.supervisory_units_created) == (0, 0, 0)
    assert Organization.objects.count() == 0
    assert PartyMember.objects.count() == 0
    assert (SupervisoryUnit.objects.count(), Street.objects.count()) == (units, streets)
    assert Organization.history.count() == 0


def test_a_member_error_after_all_organizations_rolls_them_back(tmp_path):
    path = tmp_path / "ledger.xlsx"
    write_sample_ledger(path, 1100, members=1100)
    workbook = openpyxl.load_workbook(path)
    workbook["党员名册"]["C1003"] = sample_id_number(5)  # the ID number of row 8 again
    workbook.save(path)

    result = import_ledger(path)

    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("党员名册", 1003, "身份证号")]
    assert result.errors[0].message == "与第8行的身份证号重复。"
    assert Organization.objects.count() == 0


def test_a_dry_run_of_a_large_ledger_counts_everything_and_writes_nothing(tmp_path):
    path = tmp_path / "ledger.xlsx"
    write_sample_ledger(path, 1100, members=300)

    result = import_ledger(path, dry_run=True)

    assert result.ok, result.report()
    assert (result.created, result.members_created, result.supervisory_units_created) == (
        1100,
        300,
        3,
    )
    assert Organization.objects.count() == 0
    assert not SupervisoryUnit.objects.exists()


def test_errors_past_the_cap_stop_the_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ERRORS", 5)
    monkeypatch.setattr(imports, "BATCH_SIZE", 4)
    bad = {number: {"contact_phone": "12345"} for number in range(0, 40, 2)}
    path = tmp_path / "ledger.xlsx"
    write_sample_ledger(path, 40, changes=bad)

    result = import_ledger(path)

    assert [e.row for e in result.errors] == [3, 5, 7, 9, 11]
    assert result.truncated
    assert result.rows < 40  # the rest of the file was not read
    assert result.report().startswith("导入失败：发现至少5处错误（只列出前5处）")


@pytest.mark.parametrize("dry_run", [False, True])
def test_queries_grow_with_batches_not_rows(
    tmp_path, monkeypatch, django_assert_max_num_queries, dry_run
):
    """N rows and 2N rows in batches of 100: the second costs at most twice the per-batch
    queries of the first, and either costs a few queries a batch, never one a row."""
    monkeypatch.setattr(imports, "BATCH_SIZE", 100)

    def queries(count, prefix):
        path = tmp_path / f"{prefix}.xlsx"
        write_sample_ledger(path, count, members=count, prefix=prefix)
        with CaptureQueriesContext(connection) as captured:
            result = import_ledger(path, dry_run=dry_run)
        assert result.ok, result.report()
        assert result.members_created == count
        return len(captured)

    single = queries(300, "AA")  # 3 batches of organizations, 3 of members
    assert single / 6 < 20  # a batch is 100 rows
    with django_assert_max_num_queries(2 * single):
        path = tmp_path / "BB.xlsx"
        write_sample_ledger(path, 600, members=600, prefix="BB", start=300)
        assert import_ledger(path, dry_run=dry_run).ok


def test_history_of_new_rows_matches_what_save_writes(tmp_path):
    """The history rows written in bulk have the same fields as those save() writes."""
    path = tmp_path / "ledger.xlsx"
    write_sample_ledger(path, 3)
    import_ledger(path)
    organization = Organization.objects.get(credit_code=sample_credit_code(1))
    record = organization.history.get()
    for field in ("name", "credit_code", "district_id", "street_id", "established_on"):
        assert getattr(record, field) == getattr(organization, field)
    # history_date is stored in UTC; the bureau's day is Shanghai's, which differs after 16:00 UTC
    assert timezone.localdate(record.history_date) == timezone.localdate()
    assert record.created_at == organization.created_at
