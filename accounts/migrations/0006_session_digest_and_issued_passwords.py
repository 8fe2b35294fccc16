"""Issue 13: the account keeps a digest of its session's marker instead of the session key, and
who set its password for its holder."""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def end_sessions_whose_keys_were_stored(apps, schema_editor):
    """The stored values were session keys (server-side backends) and may have been read
    through the admin's filters: those sessions end now, and the values go."""
    User = apps.get_model("accounts", "User")
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    accounts = User.objects.using(schema_editor.connection.alias).exclude(session_marker_digest="")
    for key in accounts.values_list("session_marker_digest", flat=True).iterator():
        store_class(session_key=key).delete(key)
    accounts.update(session_marker_digest="")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_login_lockout"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="user", old_name="current_session_key", new_name="session_marker_digest"
        ),
        migrations.RunPython(end_sessions_whose_keys_were_stored, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="session_marker_digest",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="current session (digest)"
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="password_set_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="password last set by",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="password_set_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="password last set by someone else at",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="two_factor_setup_needs_approval",
            field=models.BooleanField(
                default=False,
                editable=False,
                verbose_name="two-factor set-up awaits the security administrator",
            ),
        ),
    ]
