"""The job page in Chromium: a large ledger download lands on it, the static script polls the
status while the worker runs, and the download link appears with the bar at 100 %."""

import io

import pytest
from django.db import connections
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from partybuilding.exports import LEDGER_SHEET
from tests.browser.conftest import admin_login
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def close_connections():
    yield
    # Connections opened while Playwright's loop runs outlive the test otherwise and keep the
    # PostgreSQL test database from being dropped.
    connections.close_all()


def test_job_page_shows_progress_then_the_download(
    live_server, page, clerk, threshold, run_worker, private_media, tmp_path
):
    threshold(1)
    OrganizationFactory(name="甲协会")
    OrganizationFactory(name="乙协会")
    admin_login(page, live_server, clerk)

    page.goto(f"{live_server.url}{reverse('partybuilding:ledger_download')}")
    page.wait_for_url("**/admin/exports/*/")
    expect(page.locator("#export-rows")).to_have_text("排队等待中")
    expect(page.locator("#export-download")).to_be_hidden()

    run_worker()

    # Only the page's script can bring these in: the page itself is not reloaded.
    expect(page.locator("#export-download")).to_be_visible()
    expect(page.locator("#export-percent")).to_have_text("100%")
    expect(page.locator("#export-rows")).to_have_text("已写入 2 / 2 行")
    expect(page.locator("#export-status")).to_have_text("已完成")
    expect(page.locator("#export-wait")).to_be_hidden()
    with page.expect_download() as download:
        page.click("#export-download-link")
    path = tmp_path / "ledger.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(io.BytesIO(path.read_bytes()), read_only=True)[LEDGER_SHEET]
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == ["乙协会", "甲协会"]
    assert download.value.suggested_filename.endswith(".xlsx")
