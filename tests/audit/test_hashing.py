"""The bulk append's hasher gives exactly `values_hash`'s hash, under the key it starts with."""

import datetime

from django.test import override_settings

from audit.hashing import values_hash, values_hasher


def values(**changes) -> dict:
    return {
        "sequence": 7,
        "occurred_at": datetime.datetime(2026, 12, 7, 9, 30, 1, 5, tzinfo=datetime.UTC),
        "user_id": None,
        "username": "（命令行）",
        "action": "data_change",
        "object_type": "registry.organization",
        "object_id": "12",
        "summary": "新建 社会组织 朝阳区“老年人”协会\t\\ \u2028",
        "details": {"history_type": "+", "operation": "create", "source": "台账.xlsx"},
        "ip_address": None,
        "history_content_type_id": 17,
        "history_id": 12,
        "previous_hash": "0" * 64,
        **changes,
    }


CASES = [
    values(),
    values(user_id=3, username="审计员", ip_address="10.0.0.1"),
    values(details={"rows": 100000, "ok": True, "none": None, "rate": 0.5, "z": [1, "二"]}),
    values(details={"filters": {"区": "朝阳区", "b": {"c": False}}, "a": -1}),
    values(details={}, summary="", object_id=""),
    values(
        occurred_at=datetime.datetime(
            2026, 12, 8, 1, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
        )
    ),
]


def test_the_bulk_hasher_gives_values_hash():
    hasher = values_hasher()
    for case in CASES:
        assert hasher(case) == values_hash(case)


@override_settings(AUDIT={"CHAIN_KEY": "another key"})
def test_the_bulk_hasher_uses_the_key_it_starts_with():
    hasher = values_hasher()
    assert [hasher(case) for case in CASES] == [values_hash(case) for case in CASES]
    with override_settings(AUDIT={"CHAIN_KEY": "a third key"}):
        assert hasher(CASES[0]) != values_hash(CASES[0])
