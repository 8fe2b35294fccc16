"""Indexes for the organization change list at a province's size.

Name search: Django's ``icontains`` on PostgreSQL is ``UPPER(col::text) LIKE UPPER('%term%')``,
which no B-tree can serve; a pg_trgm GIN index on the same expression can. PostgreSQL only:
SQLite has no such index and stays on a table scan, fine at a city's size.

Filters: the list is ordered by name (then ``-pk``, which the change list adds). Filtered by a
district, a status or a supervisory unit whose organizations sit far down the name index (names
often start with the district), PostgreSQL walks that index row by row; one index per filter,
in the list's order, makes the first page a short index scan on any database. The same for
the applications list (latest change first, then ``-pk``)."""

from django.db import migrations, models

TRIGRAM_INDEXES = {
    "organization_name_trgm": "name",
    "organization_legal_rep_trgm": "legal_representative",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON registry_organization "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_member_details"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["-updated_at", "-id"], name="application_list_order"),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["status", "name", "-id"], name="organization_status_name"),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["district", "name", "-id"], name="organization_district_name"
            ),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["industry", "name", "-id"], name="organization_industry_name"
            ),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["supervisory_unit", "name", "-id"], name="organization_unit_name"
            ),
        ),
    ]
