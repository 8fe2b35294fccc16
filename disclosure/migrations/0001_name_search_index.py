"""R-PUB-2: the public search by a fragment of the name (LIKE '%…%') reads a trigram index on
PostgreSQL. pg_trgm cuts Chinese names into trigrams in this project's database locale (C.UTF-8:
CJK characters are word characters; docs/domain.md R-PUB-2 says what was checked). SQLite has no
such index: the embedded default scans the names, which is fast enough at its size."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "disclosure_organization_name_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_organization "
            "USING gin (name gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0018_certificate_type_labels")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
