from django.core.management.base import BaseCommand, CommandError

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
            f"已备份 {VENDOR_NAMES[manifest['vendor']]} 数据库 {manifest['database']} 到 {path}"
            f"（{manifest['size']:,} 字节，{len(manifest['migrations'])} 个迁移）；"
            f"清单：{manifest_path(path)}。两个文件须一起保存。"
        )
