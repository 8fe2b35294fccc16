"""The job page in Chromium: a large ledger download lands on it, the static script polls the
status while the worker runs, and the download link appears with the bar at 100 %."""

import io
import os
import shutil

import pytest
from django.db import connections
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from partybuilding.exports import LEDGER_SHEET
from tests.factories import OrganizationFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the ORM calls around it are still
# synchronous, one at a time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        # Connections opened while Playwright runs belong to its context: close them in it, or
        # they outlive the test and keep the PostgreSQL test database from being dropped.
        connections.close_all()
        browser.close()


def test_job_page_shows_progress_then_the_download(
    live_server, page, clerk, threshold, run_worker, tmp_path
):
    threshold(1)
    OrganizationFactory(name="甲协会")
    OrganizationFactory(name="乙协会")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", "Test-password-2018")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

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
