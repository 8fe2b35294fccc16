from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from core.backups import VENDOR_NAMES, BackupError, database_backup, manifest_path


class Command(BaseCommand):
    help = (
        "Make a consistent copy of the database at PATH (SQLite online backup, or pg_dump "
        "custom format) with a manifest at PATH.manifest.json; safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Backup file to write.")
        parser.add_argument(
            "--force", action="store_true", help="Overwrite PATH if it already exists."
        )

    def handle(self, *args, path, force, **options):
        try:
            manifest = database_backup(path, overwrite=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            gettext(
                "Backed up the %(vendor)s database %(database)s to %(path)s (%(size)s bytes, "
                "%(migrations)s migrations); manifest: %(manifest)s. Keep the two files together."
            )
            % {
                "vendor": VENDOR_NAMES[manifest["vendor"]],
                "database": manifest["database"],
                "path": path,
                "size": f"{manifest['size']:,}",
                "migrations": len(manifest["migrations"]),
                "manifest": manifest_path(path),
            }
        )
