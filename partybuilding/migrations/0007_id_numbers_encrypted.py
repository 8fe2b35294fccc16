"""Resident ID numbers encrypted at rest, with a keyed digest for uniqueness (issue 8)."""

from django.db import migrations, models

from core import id_numbers


def encrypt(apps, schema_editor):
    table = apps.get_model("partybuilding", "PartyMember")._meta.db_table
    id_numbers.rewrite_table(schema_editor.connection, table, id_numbers.encrypt_plain)


def decrypt(apps, schema_editor):
    table = apps.get_model("partybuilding", "PartyMember")._meta.db_table
    id_numbers.rewrite_table(schema_editor.connection, table, id_numbers.decrypt_to_plain)


class Migration(migrations.Migration):
    dependencies = [("partybuilding", "0006_standing_scope")]

    operations = [
        migrations.AddField(
            model_name="partymember",
            name="id_number_digest",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        # No longer unique: tokens differ every time; the digest is unique instead (0008).
        migrations.AlterField(
            model_name="partymember",
            name="id_number",
            field=models.CharField(max_length=200),
        ),
        migrations.RunPython(encrypt, decrypt, elidable=False),
    ]
