import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.choices import AuditAction
from audit.hashing import record_hash
from audit.models import GENESIS_HASH, AuditRecord
from audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


def append(count: int) -> list[AuditRecord]:
    return [
        audit_record(
            action=AuditAction.EXPORT,
            username=f"审计员{index}",
            object_type="registry.organization",
            object_id=index,
            summary=f"导出社会组织台账 {index} 行",
            details={"kind": "ledger", "rows": index, "filters": {"区": "朝阳区"}},
            ip_address=f"10.0.0.{index + 1}",
        )
        for index in range(count)
    ]


def execute(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify_command() -> str:
    out = io.StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def test_records_are_numbered_in_order_and_each_carries_the_previous_hash():
    first, second, third = append(3)
    assert [r.sequence for r in (first, second, third)] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert (second.previous_hash, third.previous_hash) == (first.hash, second.hash)
    # The hash read back from the database is the one written: the serialization round-trips.
    stored = AuditRecord.objects.get(sequence=2)
    assert record_hash(stored) == stored.hash == second.hash


def test_an_intact_chain_verifies_and_the_command_prints_the_count():
    append(5)
    assert audit_verify().ok
    assert audit_verify().count == 5
    assert "5" in verify_command()


def test_an_empty_log_verifies():
    assert audit_verify().ok and audit_verify().count == 0


def test_a_row_edited_in_the_database_is_named():
    append(4)
    execute("UPDATE audit_auditrecord SET summary = %s WHERE sequence = %s", ["无事发生", 3])
    result = audit_verify()
    assert (result.ok, result.problem, result.sequence, result.count) == (False, "altered", 3, 2)
    with pytest.raises(CommandError, match="第 3 号审计记录被篡改"):
        verify_command()


def test_details_edited_through_the_orm_bypassing_the_model_are_caught():
    append(3)
    # A plain QuerySet: what anyone with database access could run.
    from django.db.models import QuerySet

    QuerySet(AuditRecord).filter(sequence=1).update(details={"kind": "ledger", "rows": 0})
    assert (audit_verify().problem, audit_verify().sequence) == ("altered", 1)


def test_a_row_deleted_in_the_database_leaves_a_gap_that_is_named():
    append(4)
    execute("DELETE FROM audit_auditrecord WHERE sequence = %s", [2])
    result = audit_verify()
    assert (result.ok, result.problem, result.sequence) == (False, "removed", 2)
    with pytest.raises(CommandError, match="第 2 号审计记录被删除"):
        verify_command()


def test_the_newest_row_deleted_with_its_successor_renumbered_is_caught():
    append(3)
    execute("DELETE FROM audit_auditrecord WHERE sequence = %s", [2])
    # Closing the gap means rewriting record 3's number: its hash no longer matches.
    execute("UPDATE audit_auditrecord SET sequence = 2 WHERE sequence = %s", [3])
    assert (audit_verify().problem, audit_verify().sequence) == ("altered", 2)


def test_a_forged_row_inserted_with_a_self_consistent_hash_is_caught():
    first, _second, third = append(3)
    # The forger computes a valid hash for the row, but cannot know to chain it after #3.
    forged = AuditRecord(
        sequence=4,
        occurred_at=third.occurred_at,
        username="admin",
        action=AuditAction.LOGIN,
        details={},
        previous_hash=first.hash,
    )
    forged.hash = record_hash(forged)
    forged.save()
    result = audit_verify()
    assert (result.problem, result.sequence, result.count) == ("inserted", 4, 3)


def test_unknown_actions_are_refused():
    with pytest.raises(ValueError):
        audit_record(action="coffee_break")
    assert not AuditRecord.objects.exists()


def rewrite_tail_from(sequence: int, *, summary: str, hash_with) -> None:
    """What someone with write access to the database does to hide an event: rewrite a record
    and recompute every hash after it, so the chain is consistent again."""
    previous_hash = AuditRecord.objects.get(sequence=sequence - 1).hash
    for record in AuditRecord.objects.filter(sequence__gte=sequence).order_by("sequence"):
        if record.sequence == sequence:
            record.summary = summary
        record.previous_hash = previous_hash
        record.hash = hash_with(record)
        execute(
            "UPDATE audit_auditrecord SET summary = %s, previous_hash = %s, hash = %s "
            "WHERE sequence = %s",
            [record.summary, record.previous_hash, record.hash, record.sequence],
        )
        previous_hash = record.hash


def test_a_tail_rewritten_with_recomputed_plain_hashes_is_caught():
    import hashlib
    import json

    from audit.hashing import HASHED_FIELDS, canonical_time

    def plain_sha256(record):
        values = {name: getattr(record, name) for name in HASHED_FIELDS}
        values["occurred_at"] = canonical_time(values["occurred_at"])
        text = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    append(4)
    rewrite_tail_from(3, summary="无事发生", hash_with=plain_sha256)
    assert (audit_verify().problem, audit_verify().sequence) == ("altered", 3)


def test_a_tail_rewritten_under_another_key_is_caught(settings):
    append(4)
    real_key = settings.AUDIT["CHAIN_KEY"]
    settings.AUDIT = {"CHAIN_KEY": "a key the forger guessed"}
    rewrite_tail_from(2, summary="无事发生", hash_with=record_hash)
    settings.AUDIT = {"CHAIN_KEY": real_key}
    assert (audit_verify().problem, audit_verify().sequence) == ("altered", 2)


def test_rotating_the_secret_key_leaves_the_log_verifiable(settings):
    append(3)
    settings.SECRET_KEY = "a freshly rotated secret key, nothing to do with the audit chain"
    assert audit_verify().ok and audit_verify().count == 3


def test_the_chain_needs_its_key(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.AUDIT = {"CHAIN_KEY": ""}
    with pytest.raises(ImproperlyConfigured, match="CHAIN_KEY"):
        append(1)


def test_a_nul_typed_into_a_filter_is_recorded_and_the_chain_still_verifies():
    record = audit_record(
        action=AuditAction.EXPORT,
        username="clerk\x00",
        summary="导出\x00",
        details={"filters": {"q": ["a\x00b"]}},
    )
    stored = AuditRecord.objects.get(pk=record.pk)
    assert (stored.username, stored.summary) == ("clerk\ufffd", "导出\ufffd")
    assert stored.details == {"filters": {"q": ["a\ufffdb"]}}
    assert audit_verify().ok
