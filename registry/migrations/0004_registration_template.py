from django.db import migrations

from registry.reference_data import create_registration_template


def forwards(apps, schema_editor):
    create_registration_template(apps)


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_applications")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
