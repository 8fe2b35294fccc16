"""Refresh the administrative divisions after the codes changed (districts renamed, re-coded,
merged): `update_divisions [--counties F] [--townships F] [--changes F] [--dry-run]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registry.bureau import bureau
from registry.services.divisions import (
    COUNTIES_CSV,
    TOWNSHIPS_CSV,
    DivisionFileError,
    divisions_refresh,
    read_changes,
)


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Load a newer list of administrative divisions and bring the districts and streets of "
        "the bureau's jurisdiction in line: renamed ones keep their organizations and history, "
        "merged ones move everything to the district they were merged into."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--counties",
            type=Path,
            default=COUNTIES_CSV,
            help="code,name CSV of provinces, prefectures and counties (GB/T 2260)",
        )
        parser.add_argument(
            "--townships",
            type=Path,
            default=TOWNSHIPS_CSV,
            help="code,name CSV of townships and streets (12-digit codes)",
        )
        parser.add_argument(
            "--changes", type=Path, help="old_code,new_code CSV of districts re-coded or merged"
        )
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args, **options):
        try:
            changes = read_changes(options["changes"]) if options["changes"] else []
            with transaction.atomic():
                result = divisions_refresh(
                    region_code=bureau().region_code,
                    counties=options["counties"],
                    townships=options["townships"],
                    changes=changes,
                )
                if options["dry_run"]:
                    raise _DryRun
        except DivisionFileError as error:
            raise CommandError(str(error)) from error
        except _DryRun:
            self.stdout.write("（试运行，未作任何改动）")
        self._report(result)

    def _report(self, result):
        write = self.stdout.write
        write(
            f"区划代码表：新增 {result.load.created} 条，更名 {result.load.renamed} 条，"
            f"停用 {result.load.retired} 条。"
        )
        write(
            f"本辖区：新增区县 {result.sync.districts_created} 个、街道（乡镇）"
            f"{result.sync.streets_created} 个。"
        )
        for old, new in result.sync.districts_renamed + result.sync.streets_renamed:
            write(f"更名：{old} → {new}（社会组织和修改历史保留）")
        for old, new in result.recoded:
            write(f"代码变更：{old} → {new}")
        for old, new in result.merged:
            write(f"合并：{old} 并入 {new}，其社会组织和街道已移入")
        if result.obsolete:
            write(
                "以下区县的代码已不在新的代码表中，请用 --changes 说明其去向："
                + "、".join(result.obsolete)
            )
