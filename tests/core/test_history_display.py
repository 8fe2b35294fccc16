"""History pages show values as the change pages and lists do (issue 13, point 8): phones
masked for roles without registry.view_contact_phone (an organization's contact phone, a
member's phone, an instructor's phone), ID numbers for roles without the unmasking permission
(R-ID-2), in the "changes" column and on a history entry; and no English or raw codes on them:
the fields' Chinese names and the choices' labels."""

import datetime
import html
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from core.fields import EncryptedIdNumberField
from core.identity import mask_id_number, mask_phone
from core.masking_admin import MaskedPhonesAdmin
from partybuilding.models import Dispatch, PartyMember
from registry.models import Organization
from registry.services import organization_update
from tests.factories import OrganizationFactory, PartyMemberFactory, id_number_for

pytestmark = pytest.mark.django_db

OLD, NEW = "13943210001", "13943210002"


def history_pages(record) -> list[str]:
    info = f"admin:{record._meta.app_label}_{record._meta.model_name}"
    return [
        reverse(f"{info}_history", args=[record.pk]),
        reverse(f"{info}_simple_history", args=[record.pk, record.history.latest().history_id]),
    ]


def visible_text(page) -> str:
    body = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", page.content.decode())
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def organization_with_changed_phone(by):
    organization = OrganizationFactory(contact_phone=OLD)
    return organization_update(organization=organization, by=by, contact_phone=NEW)


def member_with_changed_phone(by):
    member = PartyMemberFactory(phone=OLD)
    member.phone, member._history_user = NEW, by
    member.save()
    return member


def dispatch_with_changed_phone(by):
    dispatch = Dispatch.objects.create(
        organization=OrganizationFactory(),
        dispatched_branch="市民政局机关党委",
        instructor_name="刘指导",
        instructor_unit="市民政局",
        instructor_phone=OLD,
        started_on=datetime.date(2018, 1, 2),
    )
    dispatch.instructor_phone, dispatch._history_user = NEW, by
    dispatch.save()
    return dispatch


CHANGED_PHONES = [
    organization_with_changed_phone,
    member_with_changed_phone,
    dispatch_with_changed_phone,
]


@pytest.mark.parametrize("make", CHANGED_PHONES, ids=lambda make: make.__name__)
def test_history_pages_mask_phones_for_roles_without_the_phone_permission(
    client, clerk, committee_user, make
):
    record = make(clerk)

    client.force_login(committee_user)
    listed, entry = (client.get(page) for page in history_pages(record))
    for page in (listed, entry):
        assert page.status_code == 200
        assert OLD not in page.content.decode()
        assert NEW not in page.content.decode()
    assert mask_phone(OLD) in listed.content.decode()  # the change: old → new, both masked
    assert mask_phone(NEW) in listed.content.decode()
    assert mask_phone(NEW) in entry.content.decode()

    client.force_login(clerk)  # who calls the organizations sees them whole
    listed, entry = (client.get(page).content.decode() for page in history_pages(record))
    assert OLD in listed and NEW in listed and NEW in entry


def test_every_history_admin_masks_the_phones_and_id_numbers_its_history_keeps():
    for model, model_admin in admin.site._registry.items():
        if not hasattr(model, "history") or not hasattr(model_admin, "history_form_view"):
            continue
        kept = {field.name: field for field in model.history.model._meta.fields}
        phones = {name for name in kept if "phone" in name}
        ids = {name for name, f in kept.items() if isinstance(f, EncryptedIdNumberField)}
        if phones or ids:
            assert isinstance(model_admin, MaskedPhonesAdmin), model._meta.label
            assert phones <= set(model_admin.masked_phone_fields), model._meta.label


def test_a_history_value_that_is_an_id_number_is_masked_without_the_permission(
    rf, clerk, committee_user
):
    member_admin = admin.site._registry[PartyMember]
    field = PartyMember._meta.get_field("id_number")
    number = id_number_for()
    request = rf.get("/")

    request.user = committee_user
    assert member_admin.history_value_display(request, field, number) == mask_id_number(number)
    request.user = clerk  # no clerk holds the unmasking permission by default either
    assert member_admin.history_value_display(request, field, number) == mask_id_number(number)


def test_a_members_history_never_shows_the_full_id_number(client, clerk, committee_user):
    member = member_with_changed_phone(clerk)
    for user in (committee_user, clerk):
        client.force_login(user)
        for page in history_pages(member):
            assert member.id_number not in client.get(page).content.decode()


def test_history_pages_show_chinese_names_and_choice_labels(client, clerk):
    organization = OrganizationFactory()
    organization_update(organization=organization, by=clerk, status="deregistered")
    client.force_login(clerk)

    listed, entry = (visible_text(client.get(page)) for page in history_pages(organization))
    status = Organization._meta.get_field("status")
    for text in (listed, entry):
        assert "已注销" in text  # the choice's label, not its code
        assert not re.search(r"\b(active|deregistered|None|True|False)\b", text)
        assert str(status.verbose_name) in text
    assert "变更内容" in listed and "Changes" not in listed
    assert "正常 → 已注销" in re.sub(r"\s+", " ", listed)


def test_a_history_list_costs_the_same_queries_for_3_entries_as_for_30(client, clerk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partybuilding.models import IndustryLead
    from tests.core.history_cases import RECORDS
    from tests.factories import SupervisoryUnitFactory

    organization = OrganizationFactory()
    lead = RECORDS[IndustryLead](organization)
    units = [SupervisoryUnitFactory() for _ in range(3)]
    pages = [
        reverse("admin:registry_organization_history", args=[organization.pk]),
        reverse("admin:partybuilding_industrylead_history", args=[lead.pk]),
    ]
    client.force_login(clerk)

    def changed_and_counted(times) -> list[int]:
        for number in range(times):
            organization_update(
                organization=organization, by=clerk, supervisory_unit=units[number % 3]
            )
            lead.driven_organizations.add(OrganizationFactory(name=f"被带动社会组织{number}"))
        counts = []
        for page in pages:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page)
            assert response.status_code == 200
            counts.append(len(queries))
        return counts

    few = changed_and_counted(3)
    many = changed_and_counted(27)
    assert many == few
    listed = client.get(pages[1]).content.decode()
    assert "被带动社会组织26" in listed  # a many-to-many change, named
