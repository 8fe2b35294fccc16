"""The committee opens the coverage dashboard from the admin index, narrows it to one industry and
downloads the ledger of that scope (R-PB-5..7 figures, the ledger workbook)."""

import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import admin_login
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    OrganizationFactory,
    add_members,
    found_party_organization,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def organizations():
    social = IndustryFactory(code="social_work", name="社工", sort_order=2)
    elderly = IndustryFactory(code="elderly_care", name="养老", sort_order=1)
    district = DistrictFactory(name="朝阳区", code="220104")
    social_work = [
        OrganizationFactory(name="长春市社会工作者协会", industry=social, district=district),
        OrganizationFactory(name="长春市阳光社会工作服务中心", industry=social, district=district),
    ]
    for organization in social_work:
        add_members(organization, 1)
    found_party_organization(*social_work, mode="joint", name="社工联合党支部")
    elderly_care = [
        OrganizationFactory(name="长春至爱护理院", industry=elderly, district=district),
        OrganizationFactory(name="长春康乐养老服务中心", industry=elderly, district=district),
        OrganizationFactory(name="长春夕阳红养老院", industry=elderly, district=district),
    ]
    add_members(elderly_care[0], 3)
    found_party_organization(elderly_care[0], name="长春至爱护理院党支部")
    add_members(elderly_care[1], 3)  # 应建未建 (R-PB-6)
    return {"social": social, "social_work": social_work, "elderly_care": elderly_care}


def figure(page, key):
    return page.locator(f"#figure-{key} .value")


def test_committee_filters_the_dashboard_and_downloads_the_ledger_of_that_scope(
    live_server, page, committee_user, organizations, tmp_path
):
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    admin_login(page, live_server, committee_user)

    page.locator(f"#party-building-links a[href='{reverse('partybuilding:dashboard')}']").click()
    page.wait_for_url(re.compile(r"/party-building/dashboard/$"))
    expect(figure(page, "organizations")).to_have_text("5")
    expect(figure(page, "eligible")).to_have_text("4")
    expect(figure(page, "should-build-not-built")).to_have_text("1")
    expect(page.locator("#figure-should-build-not-built")).to_have_class(re.compile("figure-alert"))
    expect(page.locator("#figure-organization-coverage .rate")).to_have_text("60.0%")

    # Chart.js (vendored, loaded with defer) drew on the canvases from the json_script data.
    expect(page.locator("canvas").first).to_be_visible()
    expect(page.locator("#chart-industry")).to_be_visible()
    page.wait_for_function(
        "() => window.Chart && ['chart-formation-mode', 'chart-industry', 'chart-district']"
        ".every((id) => Chart.getChart(document.getElementById(id)))"
    )
    drawn = page.evaluate(
        "() => Chart.getChart(document.getElementById('chart-industry')).data.labels"
    )
    assert drawn == ["养老", "社工"]
    assert not errors, errors

    page.select_option("#id_industry", label="社工")
    page.locator("#scope-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"industry={organizations['social'].pk}"))
    expect(figure(page, "organizations")).to_have_text("2")
    expect(figure(page, "eligible")).to_have_text("2")
    expect(figure(page, "should-build-not-built")).to_have_text("0")
    expect(page.locator("#figure-should-build-not-built")).not_to_have_class(
        re.compile("figure-alert")
    )
    expect(page.locator("#figure-organization-coverage .rate")).to_have_text("100.0%")
    expect(page.locator("#by-industry tbody tr")).to_have_count(1)
    expect(page.locator("#by-industry tbody tr th")).to_have_text("社工")
    download_link = page.locator("#dashboard-download")
    expect(download_link).to_have_attribute(
        "href", re.compile(rf"\?.*industry={organizations['social'].pk}")
    )

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    download.path()  # waits until the download has finished
    path = tmp_path / "ledger.xlsx"  # openpyxl goes by the extension
    download.save_as(path)

    workbook = load_workbook(path, read_only=True)
    try:
        rows = list(workbook["党建工作台账"].iter_rows(values_only=True))
    finally:
        workbook.close()
    header = list(rows[1])
    assert "统一社会信用代码" in header
    code_column = header.index("统一社会信用代码")
    codes = {row[code_column] for row in rows[2:] if row[code_column]}
    assert {o.credit_code for o in organizations["social_work"]} <= codes
    assert not codes & {o.credit_code for o in organizations["elderly_care"]}
    names = {cell for row in rows[2:] for cell in row if isinstance(cell, str)}
    assert "长春市社会工作者协会" in names
    assert "长春至爱护理院" not in names
