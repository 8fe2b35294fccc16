"""Refresh the administrative divisions after the codes changed (districts renamed, re-coded,
merged): `update_divisions [--counties F] [--townships F] [--changes F] [--dry-run]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext

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
            self.stdout.write(gettext("(Dry run: nothing was changed.)"))
        self._report(result)

    def _report(self, result):
        write = self.stdout.write
        write(
            gettext(
                "Division code table: %(created)s added, %(renamed)s renamed, %(retired)s retired."
            )
            % {
                "created": result.load.created,
                "renamed": result.load.renamed,
                "retired": result.load.retired,
            }
        )
        write(
            gettext(
                "This jurisdiction: %(districts)s districts and %(streets)s streets (townships) "
                "added."
            )
            % {
                "districts": result.sync.districts_created,
                "streets": result.sync.streets_created,
            }
        )
        for old, new in result.sync.districts_renamed + result.sync.streets_renamed:
            write(
                gettext("Renamed: %(old)s → %(new)s (organizations and history kept)")
                % {"old": old, "new": new}
            )
        for old, new in result.recoded:
            write(gettext("Code changed: %(old)s → %(new)s") % {"old": old, "new": new})
        for old, new in result.merged:
            write(
                gettext("Merged: %(old)s into %(new)s, its organizations and streets moved there")
                % {"old": old, "new": new}
            )
        if result.obsolete:
            write(
                gettext(
                    "These districts' codes are no longer in the new code table; say where they "
                    "went with --changes: %(districts)s"
                )
                % {"districts": "、".join(result.obsolete)}
            )
