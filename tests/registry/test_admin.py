"""The clerks' admin: search by credit code, filters, history, flat query counts, scoping."""

import pytest
from django.urls import reverse

from accounts import roles
from tests.factories import DistrictFactory, OrganizationFactory, SupervisoryUnitFactory, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registry_organization_changelist")


def test_change_list_query_count_does_not_grow_with_rows(
    client, clerk, django_assert_max_num_queries
):
    client.force_login(clerk)
    OrganizationFactory()
    with django_assert_max_num_queries(13) as one_row:
        assert client.get(CHANGELIST).status_code == 200
    OrganizationFactory.create_batch(19)
    # session, user, groups (role), permissions, 2 counts, the page, each filter's choices and
    # the unread-message count in the header
    with django_assert_max_num_queries(len(one_row.captured_queries)) as twenty_rows:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 20
    assert len(twenty_rows.captured_queries) == len(one_row.captured_queries)


def test_search_by_credit_code_accepts_lower_case_and_spaces(client, clerk):
    wanted, other = OrganizationFactory(), OrganizationFactory()
    client.force_login(clerk)
    typed = " ".join([wanted.credit_code[:8].lower(), wanted.credit_code[8:]])
    response = client.get(CHANGELIST, {"q": typed})
    found = list(response.context["cl"].result_list)
    assert found == [wanted]
    assert other not in found


@pytest.mark.parametrize("field", ["name", "legal_representative"])
def test_search_by_name_and_legal_representative(client, clerk, field):
    wanted = OrganizationFactory(name="长春市金秋居家养老服务中心", legal_representative="赵淑芬")
    OrganizationFactory(name="长春市社会工作者协会", legal_representative="钱志强")
    client.force_login(clerk)
    response = client.get(CHANGELIST, {"q": getattr(wanted, field)})
    assert list(response.context["cl"].result_list) == [wanted]


def test_filters_are_offered(client, clerk):
    OrganizationFactory()
    OrganizationFactory(district=DistrictFactory(name="南关区", code="220102"))
    client.force_login(clerk)
    response = client.get(CHANGELIST)
    titles = [spec.title for spec in response.context["cl"].filter_specs]
    # The registry's six, then credit supervision's (registry.admin_extensions).
    assert len(titles) == 7
    content = response.content.decode()
    for label in ["组织类型", "行业类别", "所属区", "业务主管单位", "状态", "局管", "信用状态"]:
        assert label in content


def test_clerk_edit_is_recorded_in_history(client, clerk):
    organization = OrganizationFactory()
    client.force_login(clerk)
    change_url = reverse("admin:registry_organization_change", args=[organization.pk])
    form = client.get(change_url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    data["contact_person"] = "孙丽娟"
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = organization.history.latest()
    assert latest.history_user == clerk
    assert latest.contact_person == "孙丽娟"
    history_page = client.get(
        reverse("admin:registry_organization_history", args=[organization.pk])
    )
    assert "孙丽娟" in history_page.content.decode()


def test_supervisory_unit_user_sees_only_its_organizations(client):
    mine_unit = SupervisoryUnitFactory(name="长春市民政局养老服务处")
    mine = OrganizationFactory(supervisory_unit=mine_unit)
    other_unit = SupervisoryUnitFactory(name="长春市民政局社会工作处")
    theirs = OrganizationFactory(supervisory_unit=other_unit)
    user = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=mine_unit)
    client.force_login(user)
    assert list(client.get(CHANGELIST).context["cl"].result_list) == [mine]
    foreign = client.get(reverse("admin:registry_organization_change", args=[theirs.pk]))
    # The admin treats an object outside the queryset as missing: it never renders it.
    assert foreign.status_code == 302
    assert theirs.name not in client.get(foreign.url).content.decode()


def test_supervisory_unit_and_committee_users_cannot_change(client):
    organization = OrganizationFactory()
    for user in (
        make_user(roles.SUPERVISORY_UNIT, supervisory_unit=organization.supervisory_unit),
        make_user(roles.COMMITTEE),
    ):
        client.force_login(user)
        change_url = reverse("admin:registry_organization_change", args=[organization.pk])
        response = client.post(change_url, {"name": "改名"})
        assert response.status_code == 403
        organization.refresh_from_db()
        assert organization.name != "改名"
        assert client.get(reverse("admin:registry_organization_add")).status_code == 403


def test_committee_user_reads_every_organization(client, committee_user):
    OrganizationFactory.create_batch(3, supervisory_unit=SupervisoryUnitFactory())
    client.force_login(committee_user)
    assert client.get(CHANGELIST).context["cl"].result_count == 3


def test_organization_user_never_enters_the_admin(client):
    organization = OrganizationFactory()
    user = make_user(
        roles.ORGANIZATION, username=organization.credit_code, organization=organization
    )
    client.force_login(user)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert reverse("admin:login") in response.url
