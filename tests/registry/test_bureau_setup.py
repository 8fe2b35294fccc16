"""A bureau's first day (issue 15, point 2): its name, region, credit-code series (R-REG-5) and
ledger title, its supervisory units and industries, by the system administrator's pages or
`setup_bureau`, into a database that has only run `migrate`."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import roles
from partybuilding.exports import LEDGER_SHEET
from registry.bureau import bureau
from registry.credit_codes import validate_credit_code
from registry.models import BureauProfile, District, Industry, SupervisoryUnit
from registry.services.registration import credit_code_propose
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def setup(*args) -> str:
    out = io.StringIO()
    call_command("setup_bureau", *args, stdout=out)
    return out.getvalue()


def test_until_set_up_the_settings_apply(settings):
    assert BureauProfile.objects.count() == 0
    profile = bureau()
    assert profile.authority_name == settings.REGISTRY["AUTHORITY_NAME"]
    assert profile.region_code == settings.REGISTRY["REGION_CODE"]
    assert profile.ledger_title == settings.PARTY_BUILDING["LEDGER_TITLE"]


def test_r_reg_5_the_proposed_credit_code_follows_the_series_set_up(settings):
    before = credit_code_propose(organization_type="social_group")
    assert before[2:8] == settings.REGISTRY["REGION_CODE"]

    setup("--authority-name", "吉林市民政局", "--region-code", "220200", "--code-prefix", "jl")

    code = credit_code_propose(organization_type="social_group")
    assert code[:10] == "51220200JL"
    assert validate_credit_code(code, organization_type="social_group") == code


def test_a_new_region_brings_its_districts_and_streets():
    assert not District.objects.filter(code__startswith="2202").exists()
    output = setup("--region-code", "220200")
    assert set(District.objects.filter(code__startswith="2202").values_list("name", flat=True)) >= {
        "昌邑区",
        "船营区",
        "磐石市",
    }
    assert "已按新的行政区划代码载入区县" in output


def test_an_unknown_region_code_is_refused_in_chinese():
    with pytest.raises(CommandError) as raised:
        setup("--region-code", "229999")
    assert "229999" in str(raised.value)
    assert BureauProfile.objects.count() == 0


def test_the_ledger_title_set_up_heads_the_exported_ledger(tmp_path):
    setup("--ledger-title", "吉林市民政局社会组织党建工作台账")
    path = tmp_path / "ledger.xlsx"
    call_command("export_ledger", str(path), stdout=io.StringIO())
    sheet = openpyxl.load_workbook(path, read_only=True)[LEDGER_SHEET]
    assert str(next(sheet.iter_rows(values_only=True))[0]).startswith(
        "吉林市民政局社会组织党建工作台账"
    )


def test_supervisory_units_from_a_sheet_with_a_title_free_header(tmp_path):
    path = tmp_path / "units.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["名称", "是否民政部门"])
    sheet.append(["吉林市民政局养老服务处", "是"])
    sheet.append(["吉林市科学技术协会", "否"])
    sheet.append([None, None])
    sheet.append(["吉林市民间组织管理局", None])
    workbook.save(path)

    output = setup("--supervisory-units", str(path))
    again = setup("--supervisory-units", str(path))

    units = dict(SupervisoryUnit.objects.values_list("name", "is_civil_affairs"))
    assert units == {
        "吉林市民政局养老服务处": True,
        "吉林市科学技术协会": False,
        "吉林市民间组织管理局": True,
    }
    assert "新增 3 个" in output
    assert "新增 0 个，已有 3 个" in again


def test_supervisory_units_from_a_csv_without_header(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("吉林市教育局\n吉林市民政局\n", encoding="utf-8")
    setup("--supervisory-units", str(path))
    assert dict(SupervisoryUnit.objects.values_list("name", "is_civil_affairs")) == {
        "吉林市教育局": False,
        "吉林市民政局": True,
    }


def test_industries_are_added_once():
    before = Industry.objects.count()
    setup("--industry", "慈善", "--industry", "慈善", "--industry", "养老")
    assert Industry.objects.count() == before + 1
    assert Industry.objects.order_by("sort_order").last().name == "慈善"


def test_the_command_without_options_prints_the_set_up():
    output = setup()
    assert "长春市" in output and "尚未保存" in output


def test_the_system_administrator_sets_the_bureau_up_in_the_admin(client):
    sysadmin = make_user(roles.SYSTEM_ADMIN)
    client.force_login(sysadmin)
    add = reverse("admin:registry_bureauprofile_add")
    page = client.get(add)
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["region_code"] == "220100"

    response = client.post(
        add,
        {
            "authority_name": "四平市民政局",
            "region_code": "220300",
            "organization_code_prefix": "PT",
            "ledger_title": "四平市社会组织党建工作台账",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    profile = BureauProfile.objects.get()
    assert (profile.region_code, profile.organization_code_prefix) == ("220300", "PT")
    assert profile.history.get().history_user == sysadmin
    assert District.objects.filter(code="220302").exists()  # 四平市铁西区 came with the region
    assert client.get(add).status_code == 403  # one profile: change it, do not add another


def test_the_admin_refuses_an_unknown_region_in_chinese(client):
    client.force_login(make_user(roles.SYSTEM_ADMIN))
    response = client.post(
        reverse("admin:registry_bureauprofile_add"),
        {"authority_name": "x", "region_code": "123456", "ledger_title": "x"},
    )
    assert response.status_code == 200
    assert "没有代码为 123456 的行政区划" in response.content.decode()


@pytest.mark.parametrize("role", [roles.CLERK, roles.COMMITTEE, roles.SECURITY_ADMIN])
def test_only_the_system_administrator_changes_the_set_up(client, role):
    client.force_login(make_user(role))
    assert client.get(reverse("admin:registry_bureauprofile_add")).status_code == 403


def test_the_national_divisions_list_is_read_only_and_its_pages_cost_the_same_queries(
    client, django_assert_max_num_queries
):
    client.force_login(make_user(roles.SYSTEM_ADMIN))
    url = reverse("admin:registry_division_changelist")
    # Session, user, groups' permissions, the 100 rows and the paginator's capped count.
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    with django_assert_max_num_queries(12):
        found = client.get(url, {"q": "220102"})
    assert [d.code for d in found.context["cl"].result_list] == ["220102"]
    assert client.get(reverse("admin:registry_division_add")).status_code == 403


def test_an_authenticator_app_names_the_bureau_as_the_issuer(settings):
    """accounts sits below the registry: it asks through its otp_issuer_wanted signal, which
    the registry answers with the bureau's name (the stored profile once there is one)."""
    from urllib.parse import quote

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import totp_otpauth_url

    device = TOTPDevice(user=make_user(roles.CLERK), name="authenticator")
    issuer = settings.REGISTRY["AUTHORITY_NAME"].replace(":", "")
    assert f"&issuer={quote(issuer)}" in totp_otpauth_url(device)
    BureauProfile.objects.create(
        pk=1,
        authority_name="吉林市民政局",
        region_code="220200",
        organization_code_prefix="MJ",
        ledger_title="吉林市社会组织党建工作台账",
    )
    assert f"&issuer={quote('吉林市民政局')}" in totp_otpauth_url(device)
