"""ID numbers encrypted (0004 wrote them): the model fields and the digest's constraint."""

from django.db import migrations, models

import core.fields
import core.identity


class Migration(migrations.Migration):
    dependencies = [("annualcheck", "0004_id_numbers_encrypted")]

    operations = [
        migrations.AlterField(
            model_name="registerentry",
            name="id_number",
            field=core.fields.EncryptedIdNumberField(
                validators=[core.identity.validate_id_number],
                verbose_name="resident ID number",
            ),
        ),
        migrations.AlterField(
            model_name="registerentry",
            name="id_number_digest",
            field=core.fields.IdNumberDigestField(
                db_index=True, verbose_name="resident ID number digest"
            ),
        ),
        migrations.AddConstraint(
            model_name="registerentry",
            constraint=models.UniqueConstraint(
                fields=("annual_check", "id_number_digest"), name="register_once"
            ),
        ),
    ]
