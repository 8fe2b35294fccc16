"""Every export is audited (issue 8: who, what, how many rows): each entry point, one export,
exactly one EXPORT record naming the user (or manage.py), the kind and the data rows written."""

import datetime
import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from annualcheck.models import AnnualCheck
from audit.choices import AuditAction
from audit.models import AuditRecord
from audit.services import COMMAND_USER, audit_record
from evaluation.services import evaluation_open
from exports.models import ExportJob
from tests.annualcheck.test_rules import submitted
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def the_export_record() -> AuditRecord:
    """The one EXPORT record there is (fails if none or several)."""
    return AuditRecord.objects.get(action=AuditAction.EXPORT)


def drained(response) -> None:
    assert response.status_code == 200, response
    assert "attachment" in response["Content-Disposition"]
    b"".join(response.streaming_content)


def assert_recorded(*, user, kind: str, rows: int, object_type: str):
    record = the_export_record()
    assert (record.user_id, record.details["kind"], record.details["rows"]) == (
        getattr(user, "pk", None),
        kind,
        rows,
    )
    assert record.object_type == object_type
    who = user.get_username() if user is not None else COMMAND_USER
    assert record.username == who
    assert record.summary.startswith(f"{who} 导出了 ")
    assert record.summary.endswith(f"（{rows} 行）")
    return record


# --- the ledger -----------------------------------------------------------------------------


def test_the_ledger_download_records_who_and_how_many_rows(client, clerk):
    OrganizationFactory(name="甲协会")
    OrganizationFactory(name="乙协会")
    client.force_login(clerk)

    drained(client.get(reverse("partybuilding:ledger_download"), REMOTE_ADDR="10.1.2.3"))

    # The immediate download is kept as a finished export job (我的导出); still one record.
    record = assert_recorded(user=clerk, kind="ledger", rows=2, object_type="exports.exportjob")
    assert record.object_id == str(ExportJob.objects.get().pk)
    assert record.ip_address == "10.1.2.3"
    assert record.details["filters"]["as_of"] == datetime.date.today().isoformat()
    assert record.summary == f"clerk-test 导出了 {settings.PARTY_BUILDING['LEDGER_TITLE']}（2 行）"


def test_the_ledger_admin_action_records_the_selection(client, clerk):
    chosen, _other = OrganizationFactory(), OrganizationFactory()
    client.force_login(clerk)

    drained(
        client.post(
            reverse("admin:registry_organization_changelist"),
            {"action": "export_party_building_ledger", "_selected_action": [chosen.pk]},
        )
    )

    assert_recorded(user=clerk, kind="ledger", rows=1, object_type="registry.organization")


def test_the_export_ledger_command_records_manage_py(tmp_path):
    OrganizationFactory()

    call_command("export_ledger", str(tmp_path / "台账.xlsx"), stdout=io.StringIO())

    assert_recorded(user=None, kind="ledger", rows=1, object_type="registry.organization")


@pytest.mark.django_db(transaction=True)  # db_worker closes connections left in a transaction
def test_a_background_ledger_export_is_recorded_when_the_job_finishes(
    client, clerk, threshold, run_worker, django_capture_on_commit_callbacks
):
    threshold(1)
    OrganizationFactory()
    OrganizationFactory()
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("partybuilding:ledger_download"))
    assert not AuditRecord.objects.filter(action=AuditAction.EXPORT).exists()  # queued only

    run_worker()

    job = ExportJob.objects.get()
    assert job.status == "done"
    record = assert_recorded(user=clerk, kind="ledger", rows=2, object_type="exports.exportjob")
    assert record.object_id == str(job.pk)


# --- annual checks and evaluations ------------------------------------------------------------


@pytest.fixture
def two_checks():
    submitted(OrganizationFactory(supervisory_unit=None))
    submitted(OrganizationFactory(supervisory_unit=None))
    assert AnnualCheck.objects.filter(year=2017).count() == 2


def test_the_annual_check_download_records_the_year(client, clerk, two_checks):
    client.force_login(clerk)

    drained(client.get(reverse("annualcheck:results_download"), {"year": 2017}))

    record = assert_recorded(
        user=clerk, kind="annual_checks", rows=2, object_type="annualcheck.annualcheck"
    )
    assert record.details["filters"]["year"] == 2017


def test_the_annual_check_admin_action_is_recorded(client, clerk, two_checks):
    client.force_login(clerk)
    checks = list(AnnualCheck.objects.values_list("pk", flat=True))

    drained(
        client.post(
            reverse("admin:annualcheck_annualcheck_changelist"),
            {"action": "export_results", "_selected_action": checks},
        )
    )

    assert_recorded(user=clerk, kind="annual_checks", rows=2, object_type="annualcheck.annualcheck")


def test_the_export_annual_checks_command_is_recorded(tmp_path, two_checks):
    call_command(
        "export_annual_checks", str(tmp_path / "年检.xlsx"), "--year", "2017", stdout=io.StringIO()
    )

    assert_recorded(user=None, kind="annual_checks", rows=2, object_type="annualcheck.annualcheck")


@pytest.fixture
def one_evaluation(clerk):
    organization = OrganizationFactory(supervisory_unit=None)
    evaluation_open(organization=organization, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1))


def test_the_evaluation_download_is_recorded(client, clerk, one_evaluation):
    client.force_login(clerk)

    drained(client.get(reverse("evaluation:results_download"), {"year": 2017}))

    record = assert_recorded(
        user=clerk, kind="evaluations", rows=1, object_type="evaluation.evaluation"
    )
    assert record.details["filters"] == {"year": 2017}


def test_the_export_evaluations_command_is_recorded(tmp_path, one_evaluation):
    call_command(
        "export_evaluations", "--year", "2017", str(tmp_path / "评估.xlsx"), stdout=io.StringIO()
    )

    assert_recorded(user=None, kind="evaluations", rows=1, object_type="evaluation.evaluation")


# --- the audit log's own export ---------------------------------------------------------------


def test_exporting_the_audit_log_is_itself_recorded(client):
    auditor = get_user_model().objects.create_user(
        "auditor", password="Test-password-2018", is_staff=True
    )
    auditor.user_permissions.add(Permission.objects.get(codename="view_auditrecord"))
    for name in ("alice", "bob"):
        audit_record(action=AuditAction.LOGIN_FAILED, username=name)
    client.force_login(auditor)
    exported = AuditRecord.objects.count()

    drained(
        client.post(
            reverse("admin:audit_auditrecord_changelist"),
            {
                "action": "export_xlsx",
                "select_across": "1",
                "index": "0",
                "_selected_action": ["0"],
            },
        )
    )

    assert_recorded(user=auditor, kind="audit_log", rows=exported, object_type="audit.auditrecord")
    assert the_export_record().summary == f"auditor 导出了 审计日志（{exported} 行）"
