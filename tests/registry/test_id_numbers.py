"""Resident ID numbers at rest (issue 8, MLPS 2.0 level 3): encrypted in their columns, unique
and found by a keyed digest, keys rotated by a command, full numbers shown only to holders of
the permission, and each page that shows them recorded in the audit log."""

import datetime
import io

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Permission
from django.core.exceptions import FieldError, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from accounts import roles
from annualcheck.models import RegisterEntry
from audit.choices import AuditAction
from audit.models import AuditRecord
from core import id_numbers
from core.id_numbers import IdNumberKeyError, check_id_number_keys, id_number_digest
from core.identity import mask_id_number
from partybuilding.ledger_import import import_ledger
from partybuilding.models import PartyMember
from partybuilding.services import party_member_create
from registry.models import ApplicationMember
from tests.annualcheck.test_rules import direct_organization, submitted
from tests.factories import (
    OrganizationFactory,
    PartyMemberFactory,
    add_members,
    id_number_for,
    make_user,
)
from tests.partybuilding.test_ledger_import import member_row, member_sheet, write_book
from tests.registry.test_registration import complete_application

pytestmark = pytest.mark.django_db

KEY_A, KEY_B, KEY_C = (Fernet.generate_key().decode() for _ in range(3))
HASH_KEY = "a-hash-key-for-these-tests-only-0123456789"


def raw_row(model, pk) -> tuple[str, str]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, id_number_digest FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()


def keys(settings, *encryption_keys, hash_key=HASH_KEY, old_hash_keys=()):
    settings.ID_NUMBERS = {
        "ENCRYPTION_KEYS": list(encryption_keys),
        "HASH_KEY": hash_key,
        "OLD_HASH_KEYS": list(old_hash_keys),
    }


def create_member(by, organization, number):
    return party_member_create(
        by=by,
        organization=organization,
        name="张三",
        id_number=number,
        status="full",
        role="full_time_staff",
        relationship="transferred",
        joined_party_on=datetime.date(2005, 7, 1),
    )


def test_the_column_holds_neither_the_number_nor_its_digits_and_the_attribute_gives_it_back():
    number = id_number_for()
    member = PartyMemberFactory(id_number=number)
    stored, digest = raw_row(PartyMember, member.pk)
    for part in (number, number[:6], number[6:14], number[14:]):
        assert part not in stored
        assert part not in digest
    assert digest == id_number_digest(number)
    assert PartyMember.objects.get(pk=member.pk).id_number == number
    assert list(PartyMember.objects.values_list("id_number", flat=True)) == [number]


def test_a_look_up_by_the_number_itself_is_refused_rather_than_finding_nothing():
    with pytest.raises(FieldError):
        PartyMember.objects.filter(id_number=id_number_for())


def test_r_id_2_a_second_member_with_the_same_number_is_refused_in_chinese(clerk):
    number = id_number_for()
    create_member(clerk, OrganizationFactory(), number)
    with pytest.raises(ValidationError) as refused:
        create_member(clerk, OrganizationFactory(), number.lower())
    duplicate = "已有使用该身份证号的党员记录，同一人只登记一次。"
    assert refused.value.message_dict["id_number"] == [duplicate]
    assert PartyMember.objects.with_id_number(number).count() == 1


def test_r_id_2_the_import_finds_a_member_on_file_by_the_digest_and_adds_no_second(tmp_path):
    member = PartyMemberFactory(name="旧名字")
    row = member_row(member.organization.credit_code, {"身份证号": member.id_number})
    result = import_ledger(write_book(tmp_path / "m.xlsx", member_sheet([row])), by=None)
    assert result.ok, result.report()
    assert PartyMember.objects.count() == 1
    member.refresh_from_db()
    assert member.name == "赵志刚"
    assert raw_row(PartyMember, member.pk)[0] != member.id_number


def test_imported_members_are_stored_encrypted_with_their_digest(tmp_path):
    organization = OrganizationFactory()
    number = id_number_for()
    row = member_row(organization.credit_code, {"身份证号": number})
    assert import_ledger(write_book(tmp_path / "m.xlsx", member_sheet([row])), by=None).ok
    member = PartyMember.objects.with_id_number(number).get()
    stored, digest = raw_row(PartyMember, member.pk)
    assert number not in stored and digest == id_number_digest(number)
    assert member.id_number == number


def test_the_member_form_and_the_register_are_encrypted_and_unique_by_digest():
    application = complete_application(make_user(roles.APPLICANT, username="applicant-ids"))
    member = application.members.first()
    stored, digest = raw_row(ApplicationMember, member.pk)
    assert member.id_number not in stored and digest == id_number_digest(member.id_number)
    copy = ApplicationMember.objects.get(pk=member.pk)
    copy.pk, copy.name = None, "重复"
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()  # application_member_once, now on the digest
    copy.id_number = id_number_for()
    copy.save()  # the same row with another number is fine
    assert ApplicationMember.objects.with_id_number(member.id_number).get() == member


def test_the_admin_search_by_a_full_number_finds_the_member(client, clerk):
    wanted, other = PartyMemberFactory(name="王要找"), PartyMemberFactory(name="李别的")
    client.force_login(clerk)
    page = client.get(
        reverse("admin:partybuilding_partymember_changelist"), {"q": wanted.id_number.lower()}
    ).content.decode()
    assert wanted.name in page
    assert other.name not in page


def test_rotation_rewrites_every_number_under_the_new_key(settings, clerk):
    keys(settings, KEY_A)
    number = id_number_for()
    member = create_member(clerk, OrganizationFactory(), number)
    under_a = raw_row(PartyMember, member.pk)[0]

    keys(settings, KEY_B, KEY_A)
    out = io.StringIO()
    call_command("rotate_id_number_keys", stdout=out)
    assert "已用当前密钥重新加密" in out.getvalue()
    under_b = raw_row(PartyMember, member.pk)[0]
    assert under_b != under_a
    assert Fernet(KEY_B).decrypt(under_b.encode()).decode() == number

    keys(settings, KEY_B)
    assert PartyMember.objects.get(pk=member.pk).id_number == number


def test_a_hash_key_rotation_keeps_old_digests_findable_until_the_command_rewrites_them(
    settings, clerk
):
    keys(settings, KEY_A, hash_key=HASH_KEY)
    number = id_number_for()
    member = create_member(clerk, OrganizationFactory(), number)
    new_hash_key = "another-hash-key-for-these-tests-9876543210"

    keys(settings, KEY_A, hash_key=new_hash_key, old_hash_keys=[HASH_KEY])
    assert PartyMember.objects.with_id_number(number).get() == member  # the old digest
    call_command("rotate_id_number_keys", stdout=io.StringIO())

    keys(settings, KEY_A, hash_key=new_hash_key)
    assert PartyMember.objects.with_id_number(number).get() == member
    assert raw_row(PartyMember, member.pk)[1] == id_number_digest(number)


def test_a_number_written_under_a_key_no_longer_configured_gives_a_clear_error(settings):
    keys(settings, KEY_A)
    member = PartyMemberFactory()
    keys(settings, KEY_C)
    with pytest.raises(IdNumberKeyError, match="没有加密它时所用的密钥"):
        PartyMember.objects.get(pk=member.pk)
    with pytest.raises(CommandError, match="未作任何改动"):
        call_command("rotate_id_number_keys", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("encryption_keys", "hash_key", "message"),
    [
        ([], HASH_KEY, "DJANGO_ID_NUMBER_KEYS"),
        ([KEY_A, "not-a-fernet-key"], HASH_KEY, "第2个密钥不是有效的 Fernet 密钥"),
        ([KEY_A], "short", "DJANGO_ID_NUMBER_HASH_KEY"),
    ],
)
def test_the_system_check_names_a_missing_or_malformed_key(
    settings, encryption_keys, hash_key, message
):
    keys(settings, *encryption_keys, hash_key=hash_key)
    errors = check_id_number_keys()
    assert [error.id for error in errors] == ["registry.E001"]
    assert message in errors[0].msg


def test_the_system_check_passes_with_the_test_keys():
    assert check_id_number_keys() == []


def test_the_migration_step_encrypts_plain_rows_and_its_reverse_restores_them():
    number = id_number_for()
    member = PartyMemberFactory(id_number=number)
    table = PartyMember._meta.db_table
    id_numbers.rewrite_table(connection, table, id_numbers.decrypt_to_plain)
    assert raw_row(PartyMember, member.pk)[0] == number  # as before the migration

    id_numbers.rewrite_table(connection, table, id_numbers.encrypt_plain)
    stored, digest = raw_row(PartyMember, member.pk)
    assert number not in stored and digest == id_number_digest(number)
    assert PartyMember.objects.get(pk=member.pk).id_number == number


# --- Who sees full numbers, and the audit records of it ---------------------------------------


def unmasked_records():
    return list(AuditRecord.objects.filter(action=AuditAction.UNMASKED_VIEW))


def grant_unmasking(user):
    user.user_permissions.add(Permission.objects.get(codename="view_unmasked_id_number"))


def test_without_the_permission_numbers_are_masked_and_nothing_is_recorded(client, clerk):
    member = PartyMemberFactory()
    client.force_login(clerk)
    for url in (
        reverse("admin:partybuilding_partymember_changelist"),
        reverse("admin:partybuilding_partymember_change", args=[member.pk]),
    ):
        page = client.get(url).content.decode()
        assert member.id_number not in page
        assert mask_id_number(member.id_number) in page
    assert unmasked_records() == []


def test_with_the_permission_the_list_shows_full_numbers_and_records_one_entry_per_page(
    client, clerk
):
    organization = OrganizationFactory()
    members = [PartyMemberFactory(organization=organization) for _ in range(3)]
    grant_unmasking(clerk)
    client.force_login(clerk)

    page = client.get(reverse("admin:partybuilding_partymember_changelist")).content.decode()

    assert all(member.id_number in page for member in members)
    [record] = unmasked_records()
    assert record.user == clerk
    assert record.details == {"count": 3}
    assert record.object_type == "partybuilding.partymember"
    assert "查看了3个完整身份证号" in record.summary


def test_with_the_permission_the_change_page_shows_the_number_and_records_it(client, clerk):
    member = PartyMemberFactory()
    grant_unmasking(clerk)
    client.force_login(clerk)

    page = client.get(reverse("admin:partybuilding_partymember_change", args=[member.pk]))

    assert member.id_number in page.content.decode()
    [record] = unmasked_records()
    assert (record.object_id, record.details) == (str(member.pk), {"count": 1})


def test_the_annual_check_register_shows_full_numbers_to_holders_and_records_it(client, clerk):
    organization = direct_organization()
    add_members(organization, 2)
    annual_check = submitted(organization)  # the register is prefilled from the records
    entries = list(annual_check.register.all())
    for entry in entries:
        stored, digest = raw_row(RegisterEntry, entry.pk)
        assert entry.id_number not in stored and digest == id_number_digest(entry.id_number)
    url = reverse("admin:annualcheck_annualcheck_change", args=[annual_check.pk])
    client.force_login(clerk)
    assert entries[0].id_number not in client.get(url).content.decode()
    assert unmasked_records() == []

    grant_unmasking(clerk)
    page = client.get(url).content.decode()
    assert all(entry.id_number in page for entry in entries)
    [record] = unmasked_records()
    assert (record.object_type, record.details) == ("annualcheck.registerentry", {"count": 2})
