import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from freezegun import freeze_time

from audit.choices import AuditAction
from audit.models import AuditAnchor, AuditRecord
from audit.services import audit_purge, audit_record, audit_verify, purge_cutoff

pytestmark = pytest.mark.django_db


def record_on(day: datetime.date, count: int = 1):
    with freeze_time(datetime.datetime.combine(day, datetime.time(10)).astimezone()):
        for _ in range(count):
            audit_record(action=AuditAction.LOGIN, username=f"user-{day}")


def test_art_21_records_younger_than_180_days_cannot_be_purged():
    today = timezone.localdate()
    record_on(today - datetime.timedelta(days=100), 2)
    with pytest.raises(ValidationError):
        audit_purge(before=today - datetime.timedelta(days=179))
    with pytest.raises(CommandError):
        call_command("purge_audit_log", "--before", today.isoformat())
    assert AuditRecord.objects.count() == 2
    assert not AuditAnchor.objects.exists()


def test_a_legal_purge_removes_old_records_and_the_rest_still_verifies():
    today = timezone.localdate()
    record_on(today - datetime.timedelta(days=400), 3)
    record_on(today - datetime.timedelta(days=200), 2)
    record_on(today - datetime.timedelta(days=10), 2)
    out = io.StringIO()
    call_command("purge_audit_log", "--before", purge_cutoff().isoformat(), stdout=out)
    assert "5" in out.getvalue()
    assert list(AuditRecord.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        6,
        7,
    ]
    anchor = AuditAnchor.objects.get()
    assert (anchor.last_sequence, anchor.purged_count) == (5, 5)
    result = audit_verify()
    assert (result.ok, result.count) == (True, 2)
    # The chain goes on from the anchor, and a later removal is still caught.
    audit_record(action=AuditAction.LOGOUT, username="clerk")
    assert audit_verify().count == 3
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE sequence = 6")
    assert (audit_verify().problem, audit_verify().sequence) == ("removed", 6)


def test_purging_everything_old_leaves_an_anchor_the_next_record_chains_to():
    today = timezone.localdate()
    record_on(today - datetime.timedelta(days=300), 2)
    assert audit_purge(before=purge_cutoff()) == 2
    assert not AuditRecord.objects.exists()
    record = audit_record(action=AuditAction.LOGIN, username="clerk")
    assert record.sequence == 3
    assert record.previous_hash == AuditAnchor.objects.get().last_hash
    assert audit_verify().ok


def test_nothing_old_enough_purges_nothing():
    record_on(timezone.localdate() - datetime.timedelta(days=5))
    assert audit_purge(before=purge_cutoff()) == 0
    assert not AuditAnchor.objects.exists()
