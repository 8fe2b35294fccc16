"""R-ID-2 (issue 13): submitted applications keep their member form with the ID numbers masked;
those stored under the old mask (220104********3020, which hid only the birth date) are masked
again under the current one. The mask keeps characters the old one kept, so the stored masked
text is enough: no number is decrypted."""

from django.db import migrations

from core.identity import mask_id_number


def remask(apps, schema_editor):
    ApplicationSubmission = apps.get_model("registry", "ApplicationSubmission")
    for submission in ApplicationSubmission.objects.only("snapshot").iterator(chunk_size=500):
        members = (submission.snapshot or {}).get("members") or []
        changed = False
        for member in members:
            masked = mask_id_number(member.get("id_number") or "")
            if masked != (member.get("id_number") or ""):
                member["id_number"], changed = masked, True
        if changed:
            submission.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_id_number_fields")]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
