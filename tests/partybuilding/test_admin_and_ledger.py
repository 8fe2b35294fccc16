"""Party-building admin (R-ID-2 masking, founding through the service) and the ledger pages."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from core.identity import mask_id_number
from partybuilding.coverage.selectors import coverage_figures
from partybuilding.exports import LEDGER_SHEET, SUMMARY_SHEET, ledger_headers, write_ledger
from partybuilding.ledger.selectors import ledger_rows
from partybuilding.models import Dispatch, PartyOrganization
from registry.models import Organization
from tests.factories import (
    IndustryFactory,
    OrganizationFactory,
    PartyMemberFactory,
    SupervisoryUnitFactory,
    add_members,
    found_party_organization,
    id_number_for,
    make_organization_user,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_r_id_2_member_list_masks_id_numbers_without_the_permission(client, clerk):
    member = PartyMemberFactory()
    client.force_login(clerk)
    page = client.get(reverse("admin:partybuilding_partymember_changelist")).content.decode()
    assert member.id_number not in page
    assert mask_id_number(member.id_number) in page
    change = client.get(reverse("admin:partybuilding_partymember_change", args=[member.pk]))
    assert member.id_number not in change.content.decode()


def test_r_id_2_the_birth_date_only_beside_a_full_number(client, clerk):
    """The birth date is digits 7-14 of the number: shown only to who sees it whole."""
    member = PartyMemberFactory(id_number=id_number_for(birth=datetime.date(1963, 5, 17)))
    member.full_clean()
    member.save()
    url = reverse("admin:partybuilding_partymember_change", args=[member.pk])
    client.force_login(clerk)
    page = client.get(url).content.decode()
    assert "1963年5月17日" not in page and "field-birth_date" not in page
    clerk.user_permissions.add(Permission.objects.get(codename="view_unmasked_id_number"))
    clerk = type(clerk).objects.get(pk=clerk.pk)
    client.force_login(clerk)
    assert "1963年5月17日" in client.get(url).content.decode()


def test_r_id_2_the_explicit_permission_shows_the_full_number(client, clerk):
    member = PartyMemberFactory()
    clerk.user_permissions.add(Permission.objects.get(codename="view_unmasked_id_number"))
    client.force_login(clerk)
    page = client.get(reverse("admin:partybuilding_partymember_changelist")).content.decode()
    assert member.id_number in page


def test_r_id_2_history_does_not_copy_the_id_number():
    member = PartyMemberFactory()
    record = member.history.latest()
    assert not hasattr(record, "id_number")


def test_r_id_2_bad_id_numbers_are_refused_with_the_reason(clerk):
    from django.core.exceptions import ValidationError

    from partybuilding.services import party_member_create

    organization = OrganizationFactory()
    good = "11010519491231002X"
    with pytest.raises(ValidationError) as excinfo:
        party_member_create(
            by=clerk,
            name="张三",
            id_number=good[:-1] + "1",
            status="full",
            organization=organization,
            role="full_time_staff",
            relationship="transferred",
        )
    assert "校验码" in excinfo.value.message_dict["id_number"][0]
    member = party_member_create(
        by=clerk,
        name="张三",
        id_number=good.lower(),
        status="full",
        organization=organization,
        role="full_time_staff",
        relationship="transferred",
    )
    assert member.id_number == good
    assert member.birth_date == datetime.date(1949, 12, 31)
    assert member.sex == "female"


def test_founding_in_the_admin_goes_through_the_service_and_ends_the_dispatch(client, clerk):
    organization = OrganizationFactory()
    dispatch = Dispatch.objects.create(
        organization=organization,
        dispatched_branch="派驻党支部",
        instructor_name="孙国华",
        instructor_unit="长春市民政局",
        instructor_phone="13804310001",
        started_on=datetime.date(2017, 9, 1),
    )
    client.force_login(clerk)
    response = client.post(
        reverse("admin:partybuilding_partyorganization_add"),
        {
            "name": "长春市某服务中心党支部",
            "kind": "branch",
            "formation_mode": "dispatched",
            "founded_on": "2018-04-20",
            "covered_organizations": [organization.pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    party_organization = PartyOrganization.objects.get(name="长春市某服务中心党支部")
    assert list(party_organization.organizations.all()) == [organization]
    dispatch.refresh_from_db()
    assert dispatch.ended_on == datetime.date(2018, 4, 20)


def test_founding_form_reports_rule_violations(client, clerk):
    first, second = OrganizationFactory(), OrganizationFactory()
    client.force_login(clerk)
    response = client.post(
        reverse("admin:partybuilding_partyorganization_add"),
        {
            "name": "某党支部",
            "kind": "branch",
            "formation_mode": "standalone",
            "founded_on": "2018-04-20",
            "covered_organizations": [first.pk, second.pk],
        },
    )
    assert response.status_code == 200
    assert "covered_organizations" in response.context["adminform"].form.errors
    assert not PartyOrganization.objects.exists()


def test_dispatch_to_a_covered_organization_is_refused_in_the_admin(client, clerk):
    organization = OrganizationFactory()
    found_party_organization(organization)
    client.force_login(clerk)
    response = client.post(
        reverse("admin:partybuilding_dispatch_add"),
        {
            "organization": organization.pk,
            "dispatched_branch": "派驻党支部",
            "instructor_name": "孙国华",
            "instructor_unit": "长春市民政局",
            "instructor_phone": "13804310001",
            "started_on": "2018-01-01",
        },
    )
    assert response.status_code == 200
    assert "organization" in response.context["adminform"].form.errors
    assert not Dispatch.objects.exists()


@pytest.mark.parametrize("url_name", ["partymember", "partyorganization", "dispatch"])
def test_party_building_change_lists_have_flat_query_counts(
    client, clerk, url_name, django_assert_max_num_queries
):
    def grow():
        organization = OrganizationFactory()
        add_members(organization, 3)
        found_party_organization(organization)
        Dispatch.objects.create(
            organization=OrganizationFactory(),
            dispatched_branch="派驻党支部",
            instructor_name="孙国华",
            instructor_unit="长春市民政局",
            instructor_phone="13804310001",
            started_on=datetime.date(2017, 9, 1),
        )

    url = reverse(f"admin:partybuilding_{url_name}_changelist")
    client.force_login(clerk)
    grow()
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for _ in range(8):
        grow()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_ledger_page_query_count_is_flat(client, clerk, django_assert_max_num_queries):
    client.force_login(clerk)
    for _ in range(2):
        add_members(OrganizationFactory(), 2)
    with django_assert_max_num_queries(20) as few:
        response = client.get(reverse("partybuilding:ledger"))
    assert len(response.context["table"]) == 2
    for _ in range(20):
        add_members(OrganizationFactory(), 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("partybuilding:ledger"))
    assert len(response.context["table"]) == 22


def _workbook(content: bytes):
    return load_workbook(io.BytesIO(content), read_only=True)


def test_ledger_workbook_layout(tmp_path):
    organization = OrganizationFactory(name="长春市至爱居家养老服务中心")
    add_members(organization, 3)
    found_party_organization(organization, name="长春市至爱居家养老服务中心党支部")
    OrganizationFactory(name='=HYPERLINK("http://evil","x")')
    path = tmp_path / "ledger.xlsx"
    organizations = Organization.objects.all()
    count = write_ledger(
        path,
        ledger_rows(organizations),
        title="长春市民政局局管社会组织党建工作台账",
        summary=coverage_figures(organizations),
    )
    assert count == 2
    workbook = load_workbook(path)  # not read-only: freeze panes and filters are visible
    sheet = workbook[LEDGER_SHEET]
    assert sheet["A1"].value.startswith("长春市民政局局管社会组织党建工作台账")
    headers = ledger_headers()
    assert [cell.value for cell in sheet[2]] == headers
    assert sheet.freeze_panes == "C3"
    assert sheet.auto_filter.ref.startswith("A2:")
    assert sheet.column_dimensions["B"].width > 20
    rows = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    line = rows["长春市至爱居家养老服务中心"]
    assert line[headers.index("党组织名称")] == "长春市至爱居家养老服务中心党支部"
    assert line[headers.index("计入党建条件党员数")] == 3
    assert line[headers.index("组织覆盖")] == "是"
    evil = sheet.cell(
        row=[r[1] for r in sheet.iter_rows(min_row=1, values_only=True)].index(
            '=HYPERLINK("http://evil","x")'
        )
        + 1,
        column=2,
    )
    assert evil.data_type == "s"  # text, never a formula
    summary = workbook[SUMMARY_SHEET]
    labels = [row[0] for row in summary.iter_rows(values_only=True)]
    assert "应建未建" in labels and "组织覆盖率" in labels


def test_ledger_never_contains_full_id_numbers(client, clerk):
    members = add_members(OrganizationFactory(), 3)
    client.force_login(clerk)
    response = client.get(reverse("partybuilding:ledger_download"))
    content = b"".join(response.streaming_content)
    for sheet in _workbook(content).worksheets:
        for row in sheet.iter_rows(values_only=True):
            for member in members:
                assert member.id_number not in [str(value) for value in row]


def test_ledger_download_is_scoped_to_the_user_and_the_filters(client):
    elderly = IndustryFactory(code="elderly_care", name="养老")
    social = IndustryFactory(code="social_work", name="社工")
    unit = SupervisoryUnitFactory(name="长春市民政局养老服务处")
    mine = OrganizationFactory(name="甲养老院", industry=elderly, supervisory_unit=unit)
    OrganizationFactory(name="乙社工中心", industry=social)
    client.force_login(make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit))
    response = client.get(reverse("partybuilding:ledger_download"))
    names = [
        row[1]
        for row in _workbook(b"".join(response.streaming_content))[LEDGER_SHEET].iter_rows(
            min_row=3, values_only=True
        )
    ]
    assert names == [mine.name]
    assert "attachment" in response["Content-Disposition"]


def test_ledger_filters_by_industry_and_party_building_status(client, committee_user):
    elderly = IndustryFactory(code="elderly_care", name="养老")
    social = IndustryFactory(code="social_work", name="社工")
    unbuilt = OrganizationFactory(name="甲养老院", industry=elderly)
    add_members(unbuilt, 3)
    OrganizationFactory(name="乙养老院", industry=elderly)
    OrganizationFactory(name="丙社工中心", industry=social)
    client.force_login(committee_user)
    by_industry = client.get(reverse("partybuilding:ledger"), {"industry": elderly.pk})
    assert {row["cells"][1] for row in by_industry.context["table"]} == {"甲养老院", "乙养老院"}
    by_status = client.get(
        reverse("partybuilding:ledger"), {"party_building_status": "should_build"}
    )
    assert [row["cells"][1] for row in by_status.context["table"]] == ["甲养老院"]


def test_organization_users_cannot_open_the_ledger(client):
    organization = OrganizationFactory()
    client.force_login(make_organization_user(organization))
    for name in ("partybuilding:ledger", "partybuilding:ledger_download"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("admin:login") in response.url


def test_export_ledger_command_writes_the_workbook(tmp_path):
    add_members(OrganizationFactory(), 1)
    OrganizationFactory(status="revoked")
    path = tmp_path / "台账.xlsx"
    out = io.StringIO()
    call_command("export_ledger", str(path), stdout=out)
    assert "1" in out.getvalue()
    rows = list(load_workbook(path, read_only=True)[LEDGER_SHEET].iter_rows(min_row=3))
    assert len(rows) == 1


def test_admin_action_exports_the_selected_organizations(client, clerk):
    chosen, other = OrganizationFactory(), OrganizationFactory()
    client.force_login(clerk)
    response = client.post(
        reverse("admin:registry_organization_changelist"),
        {
            "action": "export_party_building_ledger",
            "_selected_action": [chosen.pk],
        },
    )
    names = [
        row[1]
        for row in _workbook(b"".join(response.streaming_content))[LEDGER_SHEET].iter_rows(
            min_row=3, values_only=True
        )
    ]
    assert names == [chosen.name]
    assert other.name not in names


def test_admin_action_sends_a_selection_past_the_threshold_to_the_ledger_page(
    client, clerk, settings
):
    settings.EXPORTS = {**settings.EXPORTS, "BACKGROUND_THRESHOLD_ROWS": 2}
    chosen = OrganizationFactory.create_batch(3)
    client.force_login(clerk)
    response = client.post(
        reverse("admin:registry_organization_changelist"),
        {
            "action": "export_party_building_ledger",
            "_selected_action": [organization.pk for organization in chosen],
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("partybuilding:ledger")
    assert "超过 2 家" in response.content.decode()
