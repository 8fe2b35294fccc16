"""The admin upload page for ledgers: clerks only, all-or-nothing, errors in Chinese."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partybuilding.exports import write_ledger
from partybuilding.ledger.selectors import ledger_rows
from registry.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

URL = reverse("partybuilding:ledger_import")


def exported_ledger() -> bytes:
    buffer = io.BytesIO()
    write_ledger(buffer, ledger_rows(Organization.objects.all()), title="台账")
    return buffer.getvalue()


def upload(content: bytes, name="台账.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_clerk_imports_an_exported_ledger_into_an_empty_registry(client, clerk):
    OrganizationFactory.create_batch(3)
    content = exported_ledger()
    Organization.objects.all().delete()
    client.force_login(clerk)
    response = client.post(URL, {"ledger": upload(content)})
    assert response.status_code == 200
    assert Organization.objects.count() == 3
    assert all(o.history.latest().history_user == clerk for o in Organization.objects.all())


def test_dry_run_writes_nothing(client, clerk):
    OrganizationFactory.create_batch(2)
    content = exported_ledger()
    Organization.objects.all().delete()
    client.force_login(clerk)
    response = client.post(URL, {"ledger": upload(content), "dry_run": "1"})
    assert response.status_code == 200
    assert Organization.objects.count() == 0


def test_a_file_that_is_not_a_workbook_gets_one_sentence(client, clerk):
    client.force_login(clerk)
    response = client.post(URL, {"ledger": upload(b"name,code\n")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "不是有效的Excel工作簿" in page
    assert "Traceback" not in page


def test_row_errors_are_listed_and_nothing_is_written(client, clerk):
    from openpyxl import load_workbook

    OrganizationFactory.create_batch(2)
    workbook = load_workbook(io.BytesIO(exported_ledger()))
    sheet = workbook.worksheets[0]
    sheet["C3"] = "52220100MJ41708400"  # wrong check characters
    buffer = io.BytesIO()
    workbook.save(buffer)
    Organization.objects.all().delete()
    client.force_login(clerk)
    response = client.post(URL, {"ledger": upload(buffer.getvalue())})
    assert response.status_code == 400
    assert Organization.objects.count() == 0
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "统一社会信用代码")]
    assert "第17位" in errors[0].message or "第18位" in errors[0].message


def test_only_clerks_may_import(client, committee_user):
    client.force_login(committee_user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"ledger": upload(b"x")}).status_code == 403
