"""Indexes for the Party-member change list's name search (three million rows in a province).

Django's ``icontains`` on PostgreSQL is ``UPPER(name::text) LIKE UPPER('%term%')``; a pg_trgm
GIN index on that expression serves words of three characters or more (a full name). Shorter
words are searched as a prefix (``LIKE '张伟%'``, see registry.admin.TrigramSearch), which a
B-tree with the pattern operator class serves whatever the database's collation.
PostgreSQL only.

On every database: the dispatch and member-form-copy lists in their change-list order (the
model's ordering, then ``-pk``), so their first page is an index scan, not a sort of the table."""

from django.db import migrations, models


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS member_name_trgm ON partybuilding_partymember "
        "USING gin (UPPER(name::text) gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS member_name_prefix ON partybuilding_partymember "
        "(name varchar_pattern_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_name_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS member_name_prefix")


class Migration(migrations.Migration):
    dependencies = [
        ("partybuilding", "0004_standing"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
        migrations.AddIndex(
            model_name="dispatch",
            index=models.Index(fields=["-started_on", "-id"], name="dispatch_list_order"),
        ),
        migrations.AddIndex(
            model_name="memberformcopy",
            index=models.Index(
                fields=["acknowledged_at", "-filed_on", "id"], name="copy_list_order"
            ),
        ),
    ]
