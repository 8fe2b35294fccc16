"""History pages (issue 13, point 2): django-simple-history's history list and history entry
look the record up through the admin's own queryset, so a record out of the user's scope
answers as its change page does, and nothing is ever saved from a history entry: the read-only
roles' POSTs (the committee's, a supervisory unit's) are refused, and so is anyone's, reverting
being not offered (a revert would write an old copy of every field past the services)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from accounts import roles
from accounts.models import User
from core.admin import BaseHistoryAdmin
from partybuilding.models import PartyMember
from registry.models import Organization
from tests.core.history_cases import RECORDS, SCOPED
from tests.factories import OrganizationFactory, SupervisoryUnitFactory, make_user

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def item_url(record):
    return url(type(record), "simple_history", record.pk, record.history.latest().history_id)


def page_data(form) -> dict:
    """What a browser posts back from an unbound form: its fields' initial values."""
    values = {name: form[name].value() for name in form.fields}
    return {key: "" if value is None else value for key, value in values.items()}


def changed_value(form) -> tuple[str, str]:
    """The first free-text field of the form (or, lacking one, its first date) and a new value
    for it: what an attacker changes."""
    from django import forms

    for name, field in form.fields.items():
        if type(field) is forms.CharField and form[name].value():
            return name, f"{form[name].value()}（篡改）"
    for name, field in form.fields.items():
        if isinstance(field, forms.DateField):
            return name, "2001-01-01"
    raise AssertionError("nothing to change")


def tampered(client, superuser, record, **changes) -> tuple[dict, str]:
    """The record's change form as posted with one text field changed (plus `changes`), and the
    name of that field: what an attacker sends to a history entry."""
    client.force_login(superuser)
    form = client.get(url(type(record), "change", record.pk)).context["adminform"].form
    data = page_data(form)
    name, value = changed_value(form)
    data[name] = value
    data.update(changes)
    return data, name


def state(record):
    """What must not move: the stored row and its history."""
    fresh = type(record)._base_manager.get(pk=record.pk)
    values = {f.attname: getattr(fresh, f.attname) for f in type(record)._meta.concrete_fields}
    return values, record.history.count()


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root-history", password="Test-password-2018")


@pytest.fixture
def unit_a():
    return SupervisoryUnitFactory(name="长春市教育局")


@pytest.fixture
def unit_b():
    return SupervisoryUnitFactory(name="长春市卫生健康委员会")


@pytest.fixture
def unit_a_user(unit_a):
    return make_user(roles.SUPERVISORY_UNIT, username="unit-a", supervisory_unit=unit_a)


def read_only(user, model):
    """`user` with the view permission of `model` if its role lacks it (reference data)."""
    codename = f"view_{model._meta.model_name}"
    if not user.has_perm(f"{model._meta.app_label}.{codename}"):
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=model._meta.app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)  # a fresh permission cache


def test_every_history_admin_is_the_safe_one_and_has_a_case_here():
    history_admins = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    }
    unsafe = [
        model._meta.label
        for model, model_admin in history_admins.items()
        if not isinstance(model_admin, BaseHistoryAdmin)
    ]
    assert unsafe == []
    assert set(history_admins) == set(RECORDS)


@pytest.mark.parametrize("model", list(RECORDS), ids=lambda model: model.__name__)
def test_a_read_only_role_reads_the_history_and_cannot_write_through_it(
    client, superuser, committee_user, model
):
    record = RECORDS[model](OrganizationFactory())
    data, _field = tampered(client, superuser, record)
    before = state(record)

    client.force_login(read_only(committee_user, model))
    assert client.get(url(model, "history", record.pk)).status_code == 200
    assert client.get(item_url(record)).status_code == 200
    response = client.post(item_url(record), data)

    assert response.status_code == 403
    assert state(record) == before


@pytest.mark.parametrize("model", list(RECORDS), ids=lambda model: model.__name__)
def test_nobody_reverts_through_a_history_entry(client, superuser, model):
    record = RECORDS[model](OrganizationFactory())
    data, _field = tampered(client, superuser, record)
    before = state(record)

    page = client.get(item_url(record))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(item_url(record), data).status_code == 403
    assert state(record) == before


@pytest.mark.parametrize("model", SCOPED, ids=lambda model: model.__name__)
def test_another_units_record_answers_on_history_pages_as_on_its_change_page(
    client, superuser, unit_b, unit_a_user, model
):
    record = RECORDS[model](OrganizationFactory(supervisory_unit=unit_b))
    data, _field = tampered(client, superuser, record)
    before = state(record)

    client.force_login(unit_a_user)
    change = client.get(url(model, "change", record.pk))
    assert change.status_code == 302  # Django 5.2: to the admin index, "does not exist"
    for page in (client.get(url(model, "history", record.pk)), client.get(item_url(record))):
        assert (page.status_code, page.get("Location")) == (change.status_code, change["Location"])
    posted = client.post(item_url(record), data)
    assert (posted.status_code, posted.get("Location")) == (302, change["Location"])
    assert state(record) == before


def test_the_committee_cannot_rename_an_organization_through_its_history(
    client, superuser, committee_user
):
    organization = OrganizationFactory(name="长春市至爱居家养老服务中心")
    data, _field = tampered(client, superuser, organization, name="长春市被改名服务中心")

    client.force_login(committee_user)
    assert client.post(item_url(organization), data).status_code == 403

    organization.refresh_from_db()
    assert organization.name == "长春市至爱居家养老服务中心"
    assert not Organization.objects.filter(name="长春市被改名服务中心").exists()


def test_a_unit_cannot_rename_another_units_member_nor_move_its_organization_into_its_own(
    client, superuser, unit_a, unit_b, unit_a_user
):
    organization = OrganizationFactory(supervisory_unit=unit_b, bureau_managed=False)
    member = RECORDS[PartyMember](organization)
    member_data, _field = tampered(client, superuser, member, name="改名")
    moved_data, _field = tampered(client, superuser, organization, supervisory_unit=unit_a.pk)

    client.force_login(unit_a_user)
    assert client.get(url(Organization, "history", organization.pk)).status_code == 302
    client.post(item_url(member), member_data)
    client.post(item_url(organization), moved_data)

    member.refresh_from_db()
    organization.refresh_from_db()
    assert member.name != "改名"
    assert organization.supervisory_unit == unit_b


def test_a_unit_still_reads_its_own_organizations_history(client, unit_a, unit_a_user):
    organization = OrganizationFactory(supervisory_unit=unit_a, name="长春市教育发展促进会")
    client.force_login(unit_a_user)
    for page in (url(Organization, "history", organization.pk), item_url(organization)):
        response = client.get(page)
        assert response.status_code == 200
        assert "长春市教育发展促进会" in response.content.decode()


def test_an_entry_of_another_record_is_not_found_under_ones_own_record(
    client, unit_a, unit_b, unit_a_user
):
    own = OrganizationFactory(supervisory_unit=unit_a)
    other = OrganizationFactory(supervisory_unit=unit_b, name="长春市卫生健康促进会")
    crafted = url(Organization, "simple_history", own.pk, other.history.latest().history_id)

    client.force_login(unit_a_user)
    response = client.get(crafted)
    assert response.status_code == 404
    assert "长春市卫生健康促进会" not in response.content.decode()
