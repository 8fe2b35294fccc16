"""A day's start for each role at 1366×768 (issue 19): the home page opens on the role's to-do
counts, above the fold, each a link to the list it counts; the organization's portal home shows
its Party-building and what it must do next; the official print pages of registration and the
annual check lay out on A4 (screenshots and PDFs kept under test-results/)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annualcheck.selectors import annual_check_todo_counts
from partybuilding.member_forms.selectors import member_form_copy_counts
from partybuilding.standings.selectors import should_build_count
from registry.selectors import application_todo_counts
from tests.browser import office_day as office
from tests.browser.conftest import admin_login
from tests.browser.screens import RESULTS, screenshot
from tests.factories import add_members, found_party_organization
from tests.portal.test_annual_check_pages import reviewed

office_page, office_day = office.office_page, office.office_day  # the fixtures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "Test-password-2018"


def counts_shown(page) -> dict:
    panel = page.locator("#todo-panel")
    expect(panel).to_be_visible()
    # Above the fold: the first thing on the page after the header.
    assert panel.bounding_box()["y"] + 80 < 768
    return {
        item.get_attribute("id"): int(item.locator(".todo-count").inner_text())
        for item in panel.locator("li").all()
    }


def follow(page, item_id) -> int:
    page.locator(f"#{item_id} a").click()
    page.wait_for_load_state()
    return page.locator("#result_list tbody tr, #ledger tbody tr").count()


def test_each_role_starts_on_its_to_do_counts(live_server, browser, office_day, clerk):
    expected = {
        "clerk": (
            clerk,
            {
                "todo-approval": application_todo_counts(clerk)["approval"],
                "todo-review": annual_check_todo_counts(clerk)["review"],
                "todo-copies": member_form_copy_counts(clerk)["pending"],
            },
            ("todo-approval", "todo-review"),
        ),
        "supervisor": (
            office_day["supervisor"],
            {
                "todo-consent": application_todo_counts(office_day["supervisor"])["consent"],
                "todo-pre-review": annual_check_todo_counts(office_day["supervisor"])["pre_review"],
                "todo-copies": member_form_copy_counts(office_day["supervisor"])["pending"],
            },
            ("todo-consent", "todo-pre-review", "todo-copies"),
        ),
        "committee": (
            office_day["committee"],
            {
                "todo-copies": member_form_copy_counts(office_day["committee"])["pending"],
                "todo-should-build": should_build_count(office_day["committee"]),
            },
            ("todo-copies", "todo-should-build"),
        ),
    }
    # What the fixture set up: 1 to approve, 1 to review, 2 to consent, 3 to pre-review, and
    # 2 organizations with three members and no Party organization.
    assert expected["clerk"][1]["todo-approval"] == 1
    assert expected["clerk"][1]["todo-review"] == 1
    assert expected["supervisor"][1]["todo-consent"] == 2
    assert expected["supervisor"][1]["todo-pre-review"] == 3
    assert expected["committee"][1]["todo-should-build"] == 2  # and the newly registered one
    for role, (user, counts, followed) in expected.items():
        context = browser.new_context(locale="zh-CN", viewport=office.OFFICE_SCREEN)
        page = context.new_page()
        page.set_default_timeout(15_000)
        admin_login(page, live_server, user)
        shown = counts_shown(page)
        screenshot(page, f"home/{role}")
        for item_id, count in counts.items():
            assert shown[item_id] == count, (role, item_id, shown)
        # Roles see only their own to-dos: consent is the unit's, approval the clerk's.
        assert ("todo-consent" in shown) == (role == "supervisor")
        assert ("todo-approval" in shown) == (role == "clerk")
        for item_id in followed:
            page.goto(f"{live_server.url}{reverse('admin:index')}")
            assert follow(page, item_id) == shown[item_id], (role, item_id)
            screenshot(page, f"home/{role}-{item_id}")
        context.close()


def test_the_portal_home_shows_standing_and_next_steps(live_server, office_page, office_day):
    page = office_page
    organization = office_day["organizations"][0]  # three members, no Party organization
    page.goto(f"{live_server.url}{reverse('portal:login')}")
    page.fill("#id_username", organization.credit_code)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/portal/organizations/{organization.pk}/$"))
    screenshot(page, "home/organization")
    standing = page.locator("#party-building-standing")
    steps = page.locator("#next-steps li")
    expect(standing).to_contain_text("应建未建")
    assert standing.bounding_box()["y"] < 768 and steps.first.bounding_box()["y"] < 768
    texts = steps.all_inner_texts()
    assert any("年检报告" in text for text in texts)
    assert any("应当组建党组织" in text for text in texts)


# Where the printed sheet's text would spill: a cell whose content is wider than the cell, a
# label cell and its value cell overlapping, and the line count of the longest label.
MEASURE_PRINT = """() => {
  const spilled = [];
  document.querySelectorAll('.sheet table').forEach(table => {
    if (table.scrollWidth > table.parentElement.clientWidth + 1) spilled.push('table');
    table.querySelectorAll('th, td').forEach(cell => {
      if (cell.scrollWidth > cell.clientWidth + 1) spilled.push(cell.textContent.trim());
    });
  });
  const lines = text => {
    const cell = Array.from(document.querySelectorAll('.member-register td'))
      .find(td => td.textContent.trim() === text);
    if (!cell) return 0;
    const range = document.createRange(); range.selectNodeContents(cell);
    return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size;
  };
  return {spilled: spilled, transferredLines: lines('组织关系已转入')};
}"""


def print_and_keep(page, name):
    """Measure on screen, where the sheet is the A4 page's width (print.css), keep a picture,
    and print it to PDF as Chromium would on paper."""
    measured = page.evaluate(MEASURE_PRINT)
    screenshot(page, f"print/{name}", full_page=True)
    path = RESULTS / "print" / f"{name}.pdf"
    page.pdf(path=str(path), prefer_css_page_size=True)
    assert path.stat().st_size > 0
    return measured


def test_the_official_print_pages_lay_out_on_a4(live_server, office_page, office_day, clerk):
    page = office_page
    admin_login(page, live_server, clerk)
    # Registration: the 党员情况表, 存档联, dated the day it was filed.
    approved = office_day["approved"]
    page.goto(
        f"{live_server.url}{reverse('portal:print_member_form', args=[approved.pk, 'archive'])}"
    )
    measured = print_and_keep(page, "registration-member-form")
    assert measured["spilled"] == []
    filed_on = approved.member_form_copies.get(kind="archive").filed_on
    expect(page.locator(".form-meta")).to_contain_text(
        f"填表日期：{filed_on.year}年{filed_on.month}月{filed_on.day}日"
    )
    # Annual check: the 年检报告书 of an organization with members transferred in.
    organization = office_day["organizations"][10]  # a long name, no check yet
    add_members(organization, 3)
    found_party_organization(organization, name=f"{organization.name}党支部")
    annual_check, _user = reviewed(organization, clerk)
    page.goto(f"{live_server.url}{reverse('portal:annual_check_print', args=[annual_check.pk])}")
    measured = print_and_keep(page, "annual-check-report")
    assert measured["spilled"] == []
    assert measured["transferredLines"] == 1
    boxes = page.locator(".opinion-box")
    assert boxes.count() == 2
    for index in range(2):  # room to write by hand: at least 35 mm (132 px at 96 dpi)
        assert boxes.nth(index).bounding_box()["height"] >= 132
