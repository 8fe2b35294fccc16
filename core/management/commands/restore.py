from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext

from core.backups import VENDOR_NAMES, BackupError, backup_check, database_restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `backup` (checked first against its "
        "manifest). Stop the site before running it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Backup file to restore.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, path, interactive, **options):
        try:
            manifest = backup_check(path)
            if interactive:
                answer = input(
                    gettext(
                        "The backup %(path)s of %(created_at)s will overwrite the database "
                        "%(database)s: all its data will be replaced, and this cannot be undone. "
                        "Stop the site first. Type yes to continue: "
                    )
                    % {
                        "path": path,
                        "created_at": manifest["created_at"],
                        "database": connection.settings_dict["NAME"],
                    }
                )
                if answer.strip().lower() != "yes":
                    raise CommandError(gettext("Restore cancelled; the database is unchanged."))
            manifest = database_restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            gettext("Restored the %(vendor)s database from %(path)s (backed up at %(created_at)s).")
            % {
                "vendor": VENDOR_NAMES[manifest["vendor"]],
                "path": path,
                "created_at": manifest["created_at"],
            }
        )
        if manifest["pending"]:
            self.stdout.write(
                gettext(
                    "This backup is older than the program, %(count)s migrations behind: run "
                    "python manage.py migrate, then python manage.py refresh_standings."
                )
                % {"count": len(manifest["pending"])}
            )
