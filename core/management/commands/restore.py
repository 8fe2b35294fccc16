from django.core.management.base import BaseCommand, CommandError
from django.db import connection

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
                    f"将用 {manifest['created_at']} 的备份 {path} 覆盖当前数据库 "
                    f"{connection.settings_dict['NAME']}，当前数据将全部被替换，且无法撤销。"
                    "请先停止网站服务。输入 yes 继续："
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("已取消恢复，数据库未改动。")
            manifest = database_restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"已从 {path} 恢复 {VENDOR_NAMES[manifest['vendor']]} 数据库"
            f"（备份时间 {manifest['created_at']}）。"
        )
        if manifest["pending"]:
            self.stdout.write(
                f"该备份早于当前程序，还差 {len(manifest['pending'])} 个迁移：请运行 "
                "python manage.py migrate，然后运行 python manage.py refresh_standings。"
            )
