from django.db import migrations

from evaluation.reference_data import create_schemes


def forwards(apps, schema_editor):
    create_schemes(apps)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
