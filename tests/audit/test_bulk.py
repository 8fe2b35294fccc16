"""audit_record_many: bulk appends for bulk writes (issue 13, point 6), in the same chain."""

import pytest
from django.db import connection, transaction

from audit.choices import AuditAction
from audit.models import AuditRecord
from audit.services import BULK_CHUNK, audit_record, audit_record_many, audit_verify

pytestmark = pytest.mark.django_db


def test_bulk_records_continue_the_chain_and_verify(clerk):
    everything = AuditRecord.objects.all()
    everything._raw_delete(everything.db)  # the clerk's role was recorded: start afresh
    audit_record(action=AuditAction.LOGIN, user=clerk)
    count = audit_record_many(
        {
            "action": AuditAction.DATA_CHANGE,
            "user": clerk,
            "object_type": "registry.organization",
            "object_id": number,
            "summary": f"第{number}条",
            "details": {"history_type": "+", "n": number},
            "ip_address": " 10.0.0.1 ",
            "history_id": number,
        }
        for number in range(BULK_CHUNK + 5)  # more than one statement
    )
    audit_record(action=AuditAction.LOGOUT, user=clerk)
    assert count == BULK_CHUNK + 5
    records = list(AuditRecord.objects.order_by("sequence"))
    assert [r.sequence for r in records] == list(range(1, BULK_CHUNK + 8))
    bulk = records[1:-1]
    assert (bulk[7].object_id, bulk[7].history_id, bulk[7].details) == (
        "7",
        7,
        {"history_type": "+", "n": 7},
    )
    assert (bulk[0].username, bulk[0].ip_address) == (clerk.username, "10.0.0.1")
    verification = audit_verify()
    assert verification.ok and verification.count == BULK_CHUNK + 7


def test_bulk_records_are_normalized_as_single_ones():
    audit_record_many(
        [
            {
                "action": AuditAction.DATA_CHANGE,
                "username": "a\x00b",
                "summary": "x\x00",
                "ip_address": "not an ip",
            }
        ]
    )
    record = AuditRecord.objects.get()
    assert (record.username, record.summary, record.ip_address) == ("a\ufffdb", "x\ufffd", None)
    assert audit_verify().ok


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError), transaction.atomic():
        audit_record_many([{"action": AuditAction.LOGIN}, {"action": "import_everything"}])
    assert not AuditRecord.objects.exists()


def test_a_tampered_bulk_record_breaks_the_chain():
    audit_record_many([{"action": AuditAction.DATA_CHANGE, "summary": str(n)} for n in range(3)])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditrecord SET summary = 'x' WHERE sequence = 2")
    verification = audit_verify()
    assert (verification.problem, verification.sequence) == ("altered", 2)
