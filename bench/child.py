"""Measurements that run inside one Django process: `python -m bench.child MEASURE [ARGS]`.
Prints one JSON line. The floors time only their loop, not Django's start-up."""

import datetime
import io
import json
import statistics
import sys
import time
from itertools import islice
from urllib.parse import urlencode

import django

SAMPLE_ROWS = 10_000  # real ledger rows fetched once and cycled: "from memory" without 1M dicts


def _active():
    from registry.choices import OrganizationStatus
    from registry.models import Organization

    return Organization.objects.filter(status=OrganizationStatus.ACTIVE)


def _sample():
    """The first SAMPLE_ROWS ledger rows as export_ledger writes them (labels applied)."""
    from partybuilding.exports import display_labels, ledger_columns, prepare_row
    from partybuilding.ledger.selectors import ledger_rows

    labels = display_labels()
    rows = [prepare_row(row, *labels) for row in islice(ledger_rows(_active()), SAMPLE_ROWS)]
    columns = ledger_columns()
    # Typed cells in the column order, as the ledger has them.
    cells = []
    for number, row in enumerate(rows, start=1):
        line = [number]
        for column in columns[1:]:
            value = row.get(column.field)
            if value is None or value == "":
                value = None
            elif column.kind == "flag":
                value = "是" if value else "否"
            elif column.kind == "text":
                value = str(value)
            line.append(value)
        cells.append(line)
    return columns, cells


def floor_xlsxwriter(path: str, count: str) -> dict:
    import xlsxwriter

    columns, cells = _sample()
    n = int(count)
    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet("ledger")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for index, column in enumerate(columns):
        sheet.write_string(0, index, str(column.header))
    kinds = [column.kind for column in columns]
    size = len(cells)
    for line in range(1, n + 1):
        row = cells[(line - 1) % size]
        for index, value in enumerate(row):
            if value is None:
                continue
            kind = kinds[index]
            if kind == "number":
                sheet.write_number(line, index, value)
            elif kind == "date":
                sheet.write_datetime(
                    line, index, datetime.datetime.combine(value, datetime.time()), date_format
                )
            else:
                sheet.write_string(line, index, value)
    workbook.close()
    return {"rows": n, "seconds": time.perf_counter() - started}


def floor_openpyxl(path: str, count: str) -> dict:
    from openpyxl import Workbook

    columns, cells = _sample()
    n = int(count)
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("ledger")
    sheet.append([str(column.header) for column in columns])
    size = len(cells)
    for line in range(n):
        sheet.append(cells[line % size])
    workbook.save(path)
    return {"rows": n, "seconds": time.perf_counter() - started}


def floor_sql() -> dict:
    """The ledger query's rows through the driver alone (server-side cursor on PostgreSQL)."""
    from django.db import connection, transaction

    from partybuilding.ledger.selectors import ledger_queryset

    queryset = ledger_queryset(_active())
    sql, params = queryset.query.get_compiler(using="default").as_sql()
    rows = 0
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with transaction.atomic():
            raw = connection.cursor().connection
            with raw.cursor(name="bench_sql_floor") as cursor:
                cursor.itersize = 2000
                cursor.execute(sql, params)
                for _row in cursor:
                    rows += 1
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(2000):
                rows += len(batch)
    return {"rows": rows, "seconds": time.perf_counter() - started}


def rows_to_export() -> dict:
    return {"rows": _active().count()}


def coverage(runs: str = "21") -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def once():
        call_command("coverage_report", json=True, stdout=io.StringIO())

    once()  # warm-up: connection, caches, a due standings refresh
    times = []
    for _ in range(int(runs)):
        started = time.perf_counter()
        once()
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        once()
    return {"median": statistics.median(times), "queries": len(captured), "runs": len(times)}


def _superuser():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.filter(username="bench-admin").first()
    if user is None:
        user = User.objects.create_superuser("bench-admin", "bench@example.com", "Bench-pass-7")
    return user


def _logged_in_client(user):
    """A client logged in as a full login leaves it: staff must pass two-factor authentication
    (issue 8), so without a verified device every admin page answers with a redirect to the
    set-up page and the benchmark would time that redirect instead of the page."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import two_factor_required

    client = Client()
    client.force_login(user)
    if two_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def pages(requests: str = "20", warmups: str = "2") -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    target = _active().order_by("pk").values("name", "credit_code")
    middle = target[max(target.count() // 2 - 1, 0)]
    urls = {
        "admin: organizations": "/admin/registry/organization/",
        "admin: Party members": "/admin/partybuilding/partymember/",
        "ledger page": reverse("partybuilding:ledger"),
        "dashboard": reverse("partybuilding:dashboard"),
        "admin: search by name": "/admin/registry/organization/?"
        + urlencode({"q": middle["name"]}),
        "admin: search by credit code": "/admin/registry/organization/?"
        + urlencode({"q": middle["credit_code"]}),
    }
    client = _logged_in_client(_superuser())
    results = {}
    for label, url in urls.items():
        for _ in range(int(warmups)):
            response = client.get(url)
        times = []
        for _ in range(int(requests)):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        times.sort()
        results[label] = {
            "url": url,
            "status": response.status_code,
            "median": statistics.median(times),
            "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "queries": len(captured),
        }
        if "search" in label:  # a search that finds nothing would be fast for the wrong reason
            results[label]["found"] = middle["credit_code"] in response.content.decode()
    return {"pages": results}


def _timed(client, url, requests: int, warmups: int, before=None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmups):
        client.get(url)
    times = []
    for _ in range(requests):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    times.sort()
    return {
        "url": url,
        "status": response.status_code,
        "median": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "queries": len(captured),
        "content": response.content.decode(),
    }


def public(requests: str = "20", warmups: str = "2") -> dict:
    """The public pages (disclosure): anonymous, the throttle out of the way (bench settings)."""
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    target = _active().order_by("pk").values("name", "credit_code")
    middle = target[max(target.count() // 2 - 1, 0)]
    search = reverse("disclosure:search")
    profile = reverse("disclosure:profile", args=[middle["credit_code"]])
    urls = {
        "public: search by a rare name fragment": (
            search + "?" + urlencode({"q": middle["name"][2:]}), None),
        "public: search by a common fragment (协会)": (
            search + "?" + urlencode({"q": "协会"}), None),
        "public: search by credit code (lower case)": (
            search + "?" + urlencode({"q": middle["credit_code"].lower()}), None),
        "public: profile, cached": (profile, None),
        "public: profile, not cached": (profile, cache.clear),
    }  # fmt: skip
    client = Client()
    results = {}
    for label, (url, before) in urls.items():
        page = _timed(client, url, int(requests), int(warmups), before)
        content = page.pop("content")
        if "rare" in label or "credit code" in label:
            page["found"] = middle["credit_code"] in content
        results[label] = page
    return {"pages": results}


def prepare_import_target() -> dict:
    from demo.scale import prepare_reference_data

    prepare_reference_data()
    return {"ok": True}


MEASURES = {
    "floor_xlsxwriter": floor_xlsxwriter,
    "floor_openpyxl": floor_openpyxl,
    "floor_sql": floor_sql,
    "rows_to_export": rows_to_export,
    "coverage": coverage,
    "pages": pages,
    "public": public,
    "prepare_import_target": prepare_import_target,
}

if __name__ == "__main__":
    django.setup()
    measure, *arguments = sys.argv[1:]
    print(json.dumps(MEASURES[measure](*arguments), ensure_ascii=False))
