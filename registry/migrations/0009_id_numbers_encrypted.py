"""Resident ID numbers encrypted at rest, with a keyed digest for uniqueness (issue 8)."""

from django.db import migrations, models

from core import id_numbers


def encrypt(apps, schema_editor):
    table = apps.get_model("registry", "ApplicationMember")._meta.db_table
    id_numbers.rewrite_table(schema_editor.connection, table, id_numbers.encrypt_plain)


def decrypt(apps, schema_editor):
    table = apps.get_model("registry", "ApplicationMember")._meta.db_table
    id_numbers.rewrite_table(schema_editor.connection, table, id_numbers.decrypt_to_plain)


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_version")]

    operations = [
        migrations.RemoveConstraint(model_name="applicationmember", name="application_member_once"),
        migrations.AddField(
            model_name="applicationmember",
            name="id_number_digest",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="applicationmember",
            name="id_number",
            field=models.CharField(max_length=200),
        ),
        migrations.RunPython(encrypt, decrypt, elidable=False),
    ]
