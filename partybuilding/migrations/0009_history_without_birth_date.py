"""R-ID-2 (issue 13): the member history no longer keeps the birth date, digits 7-14 of the ID
number, which its "changes" column showed to users who see the number masked."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partybuilding", "0008_id_number_fields")]

    operations = [
        migrations.RemoveField(model_name="historicalpartymember", name="birth_date"),
    ]
