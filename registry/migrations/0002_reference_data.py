"""Reference data (industries, the default Party-building body). No users, no demo data here."""

from django.db import migrations

from registry.reference_data import create_reference_data


def forwards(apps, schema_editor):
    create_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
