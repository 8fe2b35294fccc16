"""The "+" history rows of new rows, on SQLite copied from the rows just written by one
INSERT … SELECT (`core.bulk_sql._history_copied`): the same rows, in the same order, as the
rows read from the instances (the path every other database and every update takes)."""

import pytest
from django.db import connection

from core import bulk_sql
from registry.models import Organization
from registry.services.bulk import OrganizationsBulkWrite
from tests.factories import StreetFactory
from tests.registry.test_bulk_writes import new_organization

pytestmark = pytest.mark.django_db

SKIPPED = {"history_id", "history_date", "id"}


def history_rows(organizations):
    fields = [
        f.attname for f in Organization.history.model._meta.concrete_fields if f.attname != "id"
    ]
    rows = Organization.history.filter(id__in=[o.pk for o in organizations]).order_by("history_id")
    return [
        ({name: value for name, value in row.items() if name not in SKIPPED}, row["id"])
        for row in rows.values("id", *fields)
    ]


def write(clerk, street, names):
    organizations = [new_organization(street, name=name) for name in names]
    bulk = OrganizationsBulkWrite(by=clerk)
    bulk.insert_organizations(organizations)
    return organizations


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the copy is SQLite's")
def test_the_copied_history_rows_are_the_ones_read_from_the_instances(clerk, monkeypatch):
    street = StreetFactory()
    copied = write(clerk, street, [f"长春市历史复制测试中心{n}" for n in range(5)])
    calls = []
    real = bulk_sql._history_copied
    monkeypatch.setattr(bulk_sql, "_history_copied", lambda *a: calls.append(a) or real(*a))
    copied_again = write(clerk, street, [f"长春市历史复制再测中心{n}" for n in range(3)])
    monkeypatch.setattr(bulk_sql, "_copied_in_sql", lambda *a: False)
    read = write(clerk, street, [f"长春市历史读取测试中心{n}" for n in range(5)])

    assert len(calls) == 1
    by_sql, by_python = history_rows(copied), history_rows(read)
    # In the instances' order, each its own row's values, the history's own columns alike.
    assert [pk for _row, pk in by_sql] == [o.pk for o in copied]
    assert [pk for _row, pk in history_rows(copied_again)] == [o.pk for o in copied_again]
    for (row, _pk), (other, _other_pk) in zip(by_sql, by_python, strict=True):
        differing = {k for k in row if row[k] != other[k]}
        assert differing <= {"name", "credit_code", "created_at", "updated_at"}, differing
        assert row["history_type"] == "+" and row["history_user_id"] == clerk.pk
    for organization, (row, _pk) in zip(copied, by_sql, strict=True):
        stored = Organization.objects.values().get(pk=organization.pk)
        assert {k: v for k, v in row.items() if k in stored} == {
            k: v for k, v in stored.items() if k in row
        }


def test_keys_out_of_order_are_written_from_the_instances(clerk, monkeypatch):
    street = StreetFactory()
    organizations = [new_organization(street, name=f"长春市乱序测试中心{n}") for n in range(3)]
    for number, organization in enumerate(organizations):
        organization.pk = 100 - number  # not as an insert gives them
    assert not bulk_sql._copied_in_sql(Organization, [], organizations)
