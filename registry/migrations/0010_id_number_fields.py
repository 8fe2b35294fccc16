"""ID numbers encrypted (0009 wrote them): the model fields and the digest's constraint."""

from django.db import migrations, models

import core.fields
import core.identity


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_id_numbers_encrypted")]

    operations = [
        migrations.AlterField(
            model_name="applicationmember",
            name="id_number",
            field=core.fields.EncryptedIdNumberField(
                validators=[core.identity.validate_id_number],
                verbose_name="resident ID number",
            ),
        ),
        migrations.AlterField(
            model_name="applicationmember",
            name="id_number_digest",
            field=core.fields.IdNumberDigestField(
                db_index=True, verbose_name="resident ID number digest"
            ),
        ),
        migrations.AddConstraint(
            model_name="applicationmember",
            constraint=models.UniqueConstraint(
                fields=("application", "id_number_digest"), name="application_member_once"
            ),
        ),
    ]
