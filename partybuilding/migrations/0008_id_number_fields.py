"""ID numbers encrypted (0007 wrote them): the model fields and the digest's uniqueness."""

from django.db import migrations

import core.fields
import core.identity


class Migration(migrations.Migration):
    dependencies = [("partybuilding", "0007_id_numbers_encrypted")]

    operations = [
        migrations.AlterField(
            model_name="partymember",
            name="id_number",
            field=core.fields.EncryptedIdNumberField(
                validators=[core.identity.validate_id_number],
                verbose_name="resident ID number",
            ),
        ),
        migrations.AlterField(
            model_name="partymember",
            name="id_number_digest",
            field=core.fields.IdNumberDigestField(
                error_messages={
                    "unique": "A Party member with this resident ID number is on file."
                },
                unique=True,
                verbose_name="resident ID number digest",
            ),
        ),
    ]
