"""Every work list readable on a 1366×768 office screen with the menu open (issue 19): no column
cut off, names on at most two lines, with the filters closed and with one opened; the 26-column
ledger scrolls sideways inside the window with its header, number and name in view."""

import pytest
from django.urls import reverse

from tests.browser import office_day as office
from tests.browser.conftest import admin_login
from tests.browser.screens import screenshot

office_page, office_day = office.office_page, office.office_day  # the fixtures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

LISTS = {
    "organizations": "admin:registry_organization_changelist",
    "applications": "admin:registry_application_changelist",
    "annual-checks": "admin:annualcheck_annualcheck_changelist",
    "member-form-copies": "admin:partybuilding_memberformcopy_changelist",
}

# Where every header cell ends against what can be seen of the list, and how many lines the
# longest name takes.
MEASURE_LIST = """() => {
  const table = document.getElementById('result_list');
  const box = table.closest('.results');
  const visibleRight = Math.min(box.getBoundingClientRect().right,
                                document.documentElement.clientWidth);
  const cut = Array.from(table.tHead.rows[0].cells)
    .filter(th => th.getBoundingClientRect().right > visibleRight + 1)
    .map(th => th.textContent.trim());
  const lines = Array.from(table.tBodies[0].rows).map(row => {
    const link = row.querySelector('.field-name a, .field-organization a');
    return link ? link.getClientRects().length : 0;
  });
  return {
    cut: cut,
    hiddenOverflow: box.scrollWidth - box.clientWidth,
    pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    nameLines: Math.max(0, ...lines),
    rows: table.tBodies[0].rows.length,
    navOpen: !!document.querySelector('#nav-sidebar') &&
             document.querySelector('#nav-sidebar').getBoundingClientRect().width > 200,
  };
}"""


def assert_readable(page, what):
    measured = page.evaluate(MEASURE_LIST)
    assert measured["navOpen"], what
    assert measured["rows"] > 0, what
    assert measured["cut"] == [], f"{what}: columns cut off {measured['cut']}"
    assert measured["hiddenOverflow"] <= 1, f"{what}: {measured}"
    assert measured["pageOverflow"] <= 1, f"{what}: {measured}"
    assert measured["nameLines"] <= 2, f"{what}: names wrapped onto {measured['nameLines']} lines"


def test_every_work_list_fits_the_office_screen_with_menu_and_filters_open(
    live_server, office_page, office_day, clerk
):
    page = office_page
    admin_login(page, live_server, clerk)
    for name, url_name in LISTS.items():
        page.goto(f"{live_server.url}{reverse(url_name)}")
        screenshot(page, f"layout/{name}")
        assert_readable(page, name)
        # Open the widest filter group: its choices flow on one row above the table. (A group
        # opened on an earlier list stays open on the next: the admin remembers by title.)
        groups = page.locator("#changelist-filter details")
        widest = groups.nth(
            max(range(groups.count()), key=lambda i: groups.nth(i).locator("li").count())
        )
        if widest.get_attribute("open") is None:
            widest.locator("summary").click()
        assert widest.get_attribute("open") is not None
        screenshot(page, f"layout/{name}-filter-open")
        assert_readable(page, f"{name} with a filter open")


def test_a_chosen_filter_shows_its_value_while_closed(live_server, office_page, office_day, clerk):
    page = office_page
    admin_login(page, live_server, clerk)
    unit = office_day["unit"]
    page.goto(
        f"{live_server.url}{reverse(LISTS['organizations'])}?supervisory_unit__id__exact={unit.pk}"
    )
    chosen = page.locator("#changelist-filter details.filter-active summary")
    assert chosen.count() == 1
    assert unit.name in chosen.inner_text()
    assert_readable(page, "organizations of one unit")


MEASURE_LEDGER = """() => {
  const box = document.getElementById('ledger-scroll');
  const table = document.getElementById('ledger');
  const r = box.getBoundingClientRect();
  const head = Array.from(table.tHead.rows[0].cells);
  const firstRow = table.tBodies[0].rows[0];
  const cellBox = el => { const c = el.getBoundingClientRect(); return [c.left, c.right, c.top]; };
  return {
    box: [r.left, r.right, r.top, r.bottom], windowHeight: window.innerHeight,
    columns: head.length,
    lastHeader: cellBox(head[head.length - 1]),
    number: cellBox(firstRow.cells[0]), name: cellBox(firstRow.cells[1]),
    nameHeader: cellBox(head[1]),
    scrollable: box.scrollWidth > box.clientWidth,
  };
}"""


def test_the_ledger_scrolls_sideways_in_view_keeping_number_and_name(
    live_server, office_page, office_day, clerk
):
    page = office_page
    admin_login(page, live_server, clerk)
    page.goto(f"{live_server.url}{reverse('partybuilding:ledger')}")
    screenshot(page, "layout/ledger")
    before = page.evaluate(MEASURE_LEDGER)
    assert before["columns"] >= 20
    # The scroll box ends inside the window: its sideways scroll bar is there on arrival.
    assert before["box"][3] <= before["windowHeight"], before
    assert before["scrollable"]

    page.evaluate(
        "() => { const b = document.getElementById('ledger-scroll');"
        " b.scrollLeft = b.scrollWidth; b.scrollTop = b.scrollHeight; }"
    )
    page.wait_for_timeout(100)
    after = page.evaluate(MEASURE_LEDGER)
    screenshot(page, "layout/ledger-scrolled")
    left, right, top, _bottom = after["box"]
    # The last column can be reached: it ends inside the box once scrolled.
    assert after["lastHeader"][1] <= right + 1, after
    # The number and name stay at the left edge; the header row stays at the top.
    assert left - 1 <= after["number"][0] < after["name"][0] < right, after
    assert after["name"][0] == pytest.approx(before["name"][0], abs=2), (before, after)
    assert after["nameHeader"][2] == pytest.approx(top, abs=2), after
