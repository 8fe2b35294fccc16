"""The registry's bulk-write service (issue 14, point 4): rows written around save() still get
their history rows, their version moved on, one audit record each, bureau_managed from their
supervisory unit, and one `organizations_changed_in_bulk` when the write ends; and the rules
Organization.clean() applies are the ones the ledger import applies (registry.rules)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.choices import AuditAction
from audit.models import AuditRecord
from audit.services import COMMAND_USER
from partybuilding.ledger_import import import_ledger
from partybuilding.models import Standing
from registry.models import Organization, SupervisoryUnit
from registry.services.bulk import OrganizationsBulkWrite
from registry.signals import organizations_changed_in_bulk
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    OrganizationFactory,
    StreetFactory,
    SupervisoryUnitFactory,
    credit_code_for,
)
from tests.partybuilding.test_ledger_import import BASIC, ledger_sheet, row_of, write_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """Every organizations_changed_in_bulk sent during the test, with its arguments."""
    calls = []

    def receiver(sender, signal, **kwargs):
        calls.append(kwargs)

    organizations_changed_in_bulk.connect(receiver, dispatch_uid="test.bulk.sent")
    yield calls
    organizations_changed_in_bulk.disconnect(dispatch_uid="test.bulk.sent")


def new_organization(street, unit=None, **fields) -> Organization:
    organization = Organization(
        name=fields.pop("name", "长春市批量写入测试中心"),
        credit_code=credit_code_for("private_non_enterprise"),
        organization_type="private_non_enterprise",
        industry=IndustryFactory(),
        supervisory_unit=unit,
        legal_representative="王建国",
        contact_person="李晓梅",
        contact_phone="13904311234",
        address="朝阳区湖西街道1号",
        district=street.district,
        street=street,
        established_on=datetime.date(2014, 4, 15),
        registered_on=datetime.date(2014, 5, 20),
        **fields,
    )
    organization.clean_fields()
    return organization


def data_changes(after: int):
    return AuditRecord.objects.filter(action=AuditAction.DATA_CHANGE, sequence__gt=after)


def last_sequence() -> int:
    return AuditRecord.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def test_inserts_get_keys_history_rows_audit_records_and_one_signal(clerk, sent):
    street = StreetFactory()
    unit = SupervisoryUnit(name="长春市民政局社会组织服务中心", is_civil_affairs=True)
    organizations = [
        new_organization(street, unit, name=f"长春市批量写入测试中心{n}") for n in range(3)
    ]
    before = last_sequence()

    with transaction.atomic():
        write = OrganizationsBulkWrite(by=clerk, ip_address="10.1.2.3")
        write.insert_reference([unit])
        write.insert_organizations(organizations[:2])
        write.insert_organizations(organizations[2:])
        write.finish(details={"batch": "测试"})

    stored = Organization.objects.filter(pk__in=[o.pk for o in organizations])
    assert stored.count() == 3
    # bureau_managed follows the unit, written in the same write before it had a key.
    assert set(stored.values_list("bureau_managed", flat=True)) == {True}
    assert unit.pk is not None
    history = Organization.history.filter(id__in=[o.pk for o in organizations])
    assert sorted(history.values_list("history_type", "history_user_id")) == [("+", clerk.pk)] * 3
    assert SupervisoryUnit.history.filter(id=unit.pk, history_type="+").count() == 1

    records = data_changes(before)
    assert records.count() == 4  # the unit and the three organizations, one each
    record = records.get(object_type="registry.organization", object_id=organizations[0].pk)
    assert (record.user_id, record.ip_address) == (clerk.pk, "10.1.2.3")
    assert record.details == {"history_type": "+", "operation": "create", "batch": "测试"}
    assert record.history_id == history.get(id=organizations[0].pk).history_id

    # Sent once for the whole write, naming every organization written.
    assert sent == [{"organization_ids": frozenset(o.pk for o in organizations), "by": clerk}]
    # The Party-building figures listen to it: each organization has its standing.
    assert Standing.objects.filter(organization__in=organizations).count() == 3


def test_updates_bump_the_version_and_write_change_history(clerk, sent):
    organization = OrganizationFactory()
    version = Organization.objects.get(pk=organization.pk).version
    organization.contact_person = "周文"
    outside = SupervisoryUnitFactory(name="长春市科学技术协会", is_civil_affairs=False)
    organization.supervisory_unit = outside
    before = last_sequence()

    with transaction.atomic():
        write = OrganizationsBulkWrite(by=clerk)
        write.update_organizations([organization], {"contact_person", "supervisory_unit"})
        write.finish()

    stored = Organization.objects.get(pk=organization.pk)
    assert stored.version == version + 1  # pages opened before the write go stale
    assert (stored.contact_person, stored.bureau_managed) == ("周文", False)
    latest = stored.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user_id, latest.contact_person) == (
        "~",
        clerk.pk,
        "周文",
    )
    record = data_changes(before).get()
    assert (record.object_id, record.details["operation"]) == (str(organization.pk), "update")
    assert sent == [{"organization_ids": frozenset({organization.pk}), "by": clerk}]


def test_a_dry_run_writes_no_audit_records_and_a_write_finishes_once(sent):
    street = StreetFactory()
    organization = new_organization(street)
    before = last_sequence()
    with transaction.atomic():
        write = OrganizationsBulkWrite(by=None)
        write.insert_organizations([organization])
        write.finish(audit=False)
        with pytest.raises(RuntimeError):
            write.finish()
    assert not data_changes(before).exists()
    assert len(sent) == 1


def test_the_command_user_is_named_when_nobody_signed_in():
    street = StreetFactory()
    before = last_sequence()
    with transaction.atomic():
        write = OrganizationsBulkWrite(by=None)
        write.insert_organizations([new_organization(street)])
        write.finish()
    assert data_changes(before).get().username == COMMAND_USER


def test_nothing_written_sends_nothing(sent):
    with transaction.atomic():
        OrganizationsBulkWrite(by=None).finish()
    assert sent == []


def test_the_import_sends_the_signal_once_for_all_its_batches(tmp_path, monkeypatch, sent):
    from partybuilding.ledger_import import importer
    from tests.partybuilding.test_ledger_import import organization_row

    StreetFactory()
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    rows = [organization_row(name=f"长春市批次测试中心{n}") for n in range(5)]
    result = import_ledger(write_book(tmp_path / "l.xlsx", ledger_sheet(rows)), by=None)

    assert result.ok, result.report()
    assert len(sent) == 1
    assert sent[0]["organization_ids"] == frozenset(
        Organization.objects.values_list("pk", flat=True)
    )


# --- one set of rules for clean() and the import -----------------------------------------------


def test_a_street_outside_the_district_is_refused_by_clean_and_the_import_alike(tmp_path):
    existing = OrganizationFactory()  # 朝阳区湖西街道
    elsewhere = DistrictFactory(name="南关区", code="220102")

    existing.district = elsewhere
    with pytest.raises(ValidationError) as refused:
        existing.full_clean()
    from_clean = refused.value.message_dict["street"]

    existing.refresh_from_db()
    headers = [h for h in BASIC if h != "所属街道"]
    row = row_of(existing, {"所属区": "南关区"})
    result = import_ledger(
        write_book(tmp_path / "l.xlsx", ledger_sheet([row], headers=headers)), by=None
    )

    assert [(e.column, e.message) for e in result.errors] == [("所属街道", from_clean[0])]
    assert from_clean == ["该街道不属于所选的所属区。"]


def test_a_registration_before_establishment_is_refused_by_clean_and_the_import_alike(tmp_path):
    existing = OrganizationFactory(
        established_on=datetime.date(2014, 4, 15), registered_on=datetime.date(2014, 5, 20)
    )
    existing.registered_on = datetime.date(2013, 1, 1)
    with pytest.raises(ValidationError) as refused:
        existing.full_clean()
    from_clean = refused.value.message_dict["registered_on"]

    existing.refresh_from_db()
    row = row_of(existing, {"登记日期": datetime.date(2013, 1, 1)})
    result = import_ledger(write_book(tmp_path / "l.xlsx", ledger_sheet([row])), by=None)

    assert [(e.column, e.message) for e in result.errors] == [("登记日期", from_clean[0])]
    assert from_clean == ["登记日期不能早于成立日期。"]


def test_the_units_list_and_the_import_tell_the_bureau_s_units_by_one_rule(tmp_path):
    """The ledger import's side: test_ledger_import's new units named after civil affairs."""
    from registry.rules import names_a_civil_affairs_unit
    from registry.services.bureau import supervisory_units_import

    sheet = tmp_path / "units.csv"
    sheet.write_text("名称\n长春市民政局养老服务处\n长春市科学技术协会\n", encoding="utf-8")
    supervisory_units_import(path=sheet, by=None)
    flags = dict(SupervisoryUnit.objects.values_list("name", "is_civil_affairs"))
    assert flags == {
        name: names_a_civil_affairs_unit(name)
        for name in ("长春市民政局养老服务处", "长春市科学技术协会")
    }
    assert flags["长春市民政局养老服务处"] is True
