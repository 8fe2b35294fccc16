"""The ledger import reaches the audit log (issue 13, point 6): one record per import with its
counts, the file and who; one data_change per history row it wrote, linked to that row and kept
in the HMAC chain; written in bulk; nothing for a dry run or a refused file."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.choices import AuditAction
from audit.models import AuditRecord
from audit.services import BULK_CHUNK, COMMAND_USER, audit_verify
from partybuilding.ledger_import import import_ledger
from partybuilding.ledger_import.audit import IMPORT_OBJECT_TYPE
from partybuilding.models import PartyMember
from registry.models import Organization, Street, SupervisoryUnit
from tests.factories import OrganizationFactory, PartyMemberFactory, StreetFactory
from tests.partybuilding.test_ledger_import import (
    ledger_sheet,
    member_row,
    member_sheet,
    organization_row,
    row_of,
    write_book,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def places():
    """朝阳区 with 湖西街道: what the rows refer to."""
    StreetFactory()


def last_sequence() -> int:
    return AuditRecord.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def data_changes(after: int):
    return AuditRecord.objects.filter(action=AuditAction.DATA_CHANGE, sequence__gt=after).order_by(
        "sequence"
    )


def mixed_ledger(tmp_path):
    """Two new organizations (one with a new unit and a new street), one changed, one
    unchanged; a new member and a changed one."""
    changed, unchanged = OrganizationFactory(), OrganizationFactory()
    member = PartyMemberFactory(organization=changed, name="钱学")
    new = [
        organization_row({"业务主管单位": "长春市新设委员会", "所属街道": "红星街道"}),
        organization_row(),
    ]
    rows = [*new, row_of(changed, {"联系人": "周文"}), row_of(unchanged)]
    members = [
        member_row(new[0]["统一社会信用代码"]),
        member_row(changed.credit_code, {"姓名": "钱学森", "身份证号": member.id_number}),
    ]
    path = write_book(tmp_path / "三月台账.xlsx", ledger_sheet(rows), member_sheet(members))
    return path, changed, unchanged, member


def test_an_import_writes_one_record_with_its_counts_the_file_and_who(tmp_path, clerk):
    path, *_ = mixed_ledger(tmp_path)
    before = last_sequence()

    result = import_ledger(path, by=clerk, ip_address="10.1.2.3")

    assert result.ok, result.report()
    imports = data_changes(before).filter(object_type=IMPORT_OBJECT_TYPE)
    assert imports.count() == 1
    record = imports.get()
    assert (record.user_id, record.username, record.ip_address) == (
        clerk.pk,
        clerk.username,
        "10.1.2.3",
    )
    assert record.details["file"] == "三月台账.xlsx"
    assert record.details["organizations"] == {
        "sheets": ["党建工作台账"],
        "created": 2,
        "updated": 1,
        "unchanged": 1,
    }
    assert record.details["members"] == {
        "sheets": ["党员名册"],
        "created": 1,
        "updated": 1,
        "unchanged": 0,
    }
    # 长春市新设委员会 and the rows' 长春市民政局 are new to the registry.
    assert record.details["supervisory_units_created"] == 2
    assert record.details["streets_created"] == 1
    assert "三月台账.xlsx" in record.summary and "新建社会组织2家" in record.summary


def test_each_row_written_has_a_data_change_linked_to_its_history_row(tmp_path, clerk):
    path, changed, unchanged, member = mixed_ledger(tmp_path)
    before = last_sequence()

    assert import_ledger(path, by=clerk).ok

    records = list(data_changes(before).exclude(object_type=IMPORT_OBJECT_TYPE))
    import_record = data_changes(before).get(object_type=IMPORT_OBJECT_TYPE)
    written = [
        *Organization.history.filter(history_user=clerk),
        *PartyMember.history.filter(history_user=clerk),
        *SupervisoryUnit.history.filter(history_user=clerk),
        *Street.history.filter(history_user=clerk),
    ]
    # 2 organizations created, 1 changed; 1 member created, 1 changed; 2 units and a street.
    assert len(written) == 8
    linked = {(r.history_content_type_id, r.history_id) for r in records}
    expected = {
        (ContentType.objects.get_for_model(type(row)).pk, row.history_id) for row in written
    }
    assert linked == expected and len(records) == 8
    for record in records:
        history_model = ContentType.objects.get_for_id(record.history_content_type_id)
        row = history_model.model_class().objects.get(history_id=record.history_id)
        assert record.object_id == str(row.id)
        assert record.details["history_type"] == row.history_type
        assert record.details["import"] == import_record.sequence
        assert (record.user_id, record.username) == (clerk.pk, clerk.username)
    kinds = {(r.object_type, r.details["history_type"]) for r in records}
    assert ("registry.organization", "~") in kinds and ("partybuilding.partymember", "~") in kinds
    # The unchanged organization has no history and no record from the import.
    organizations = [r for r in records if r.object_type == "registry.organization"]
    assert not any(r.object_id == str(unchanged.pk) for r in organizations)
    changed_record = next(r for r in organizations if r.object_id == str(changed.pk))
    assert changed.name in changed_record.summary
    assert audit_verify().ok


def test_the_audit_records_are_written_in_bulk(tmp_path, clerk):
    rows = [organization_row() for _ in range(40)]
    path = write_book(tmp_path / "l.xlsx", ledger_sheet(rows))
    with CaptureQueriesContext(connection) as context:
        assert import_ledger(path, by=clerk).ok
    inserts = [
        query["sql"]
        for query in context.captured_queries
        if 'INSERT INTO "audit_auditrecord"' in query["sql"]
    ]
    # The import's own record, then the rows' records in one executemany ("41 times: …":
    # 40 organizations and the supervisory unit they name).
    assert len(inserts) == 2
    assert inserts[1].startswith("41 times")
    assert AuditRecord.objects.filter(object_type="registry.organization").count() == 40
    assert 40 < BULK_CHUNK
    assert audit_verify().ok


def test_the_chain_holds_across_records_written_before_and_after_an_import(tmp_path, clerk):
    OrganizationFactory()  # audited one by one, through save()
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization_row()]))
    assert import_ledger(path, by=clerk).ok
    OrganizationFactory()
    sequences = list(AuditRecord.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))
    assert audit_verify().ok


def test_the_command_is_recorded_under_the_command_user(tmp_path):
    row = organization_row({"业务主管单位": "无"})  # direct registration: no unit to create
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([row]))
    before = last_sequence()
    call_command("import_ledger", str(path), stdout=io.StringIO())
    records = list(data_changes(before))
    assert len(records) == 2
    assert {(r.user_id, r.username) for r in records} == {(None, COMMAND_USER)}
    assert records[0].object_type == IMPORT_OBJECT_TYPE
    assert records[1].object_type == "registry.organization"


def test_the_upload_page_records_the_file_name_the_clerk_and_the_address(tmp_path, client, clerk):
    row = organization_row({"业务主管单位": "无"})
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([row]))
    client.force_login(clerk)
    before = last_sequence()
    upload = SimpleUploadedFile("四月台账.xlsx", path.read_bytes())
    response = client.post(
        reverse("partybuilding:ledger_import"), {"ledger": upload}, REMOTE_ADDR="10.9.8.7"
    )
    assert response.status_code == 200
    record = data_changes(before).get(object_type=IMPORT_OBJECT_TYPE)
    assert (record.details["file"], record.user_id, record.ip_address) == (
        "四月台账.xlsx",
        clerk.pk,
        "10.9.8.7",
    )
    assert data_changes(before).filter(ip_address="10.9.8.7").count() == 2


def test_a_dry_run_and_a_failed_import_write_no_audit_record(tmp_path, clerk):
    good = write_book(tmp_path / "good.xlsx", ledger_sheet([organization_row()]))
    bad_row = organization_row({"所属区": "不存在区"})
    bad = write_book(tmp_path / "bad.xlsx", ledger_sheet([organization_row(), bad_row]))
    before = last_sequence()
    assert import_ledger(good, by=clerk, dry_run=True).ok
    assert not import_ledger(bad, by=clerk).ok
    with pytest.raises(CommandError):
        call_command("import_ledger", str(bad), stdout=io.StringIO())
    assert not data_changes(before).exists()
