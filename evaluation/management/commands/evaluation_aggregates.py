import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from evaluation.aggregates import evaluation_aggregates_rebuild, evaluation_aggregates_verify


class Command(BaseCommand):
    help = (
        "Recount the evaluation aggregates (the dashboard's decided evaluations by year, grade, "
        "district, industry, supervisory unit and status) from the evaluations and the stored "
        "standings. The product keeps them current by itself; run this after writing to the "
        "database around it. With --verify, change nothing: compare them with a full recount "
        "and exit with status 1 if any group differs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify",
            action="store_true",
            help="only compare the aggregates with a full recount",
        )

    def handle(self, *args, verify=False, **options):
        started = time.perf_counter()
        if not verify:
            groups = evaluation_aggregates_rebuild()
            self.stdout.write(
                gettext(
                    "Recounted the evaluation aggregates: %(groups)s groups (%(seconds).1f "
                    "seconds)"
                )
                % {"groups": groups, "seconds": time.perf_counter() - started}
            )
            return
        differences = evaluation_aggregates_verify()
        seconds = time.perf_counter() - started
        if not differences:
            self.stdout.write(
                gettext("The evaluation aggregates equal a full recount (%(seconds).1f seconds).")
                % {"seconds": seconds}
            )
            return
        self.stdout.write(
            gettext(
                "Group: supervisory unit (-1: all), year, status, district, industry, grade. "
                "Figures: evaluated / with a Party organization / downgraded."
            )
        )
        for difference in differences:
            self.stdout.write(
                gettext("%(group)s: stored %(stored)s, recounted %(recounted)s")
                % {
                    "group": ", ".join(map(str, difference["key"])),
                    "stored": _figures(difference["stored"]),
                    "recounted": _figures(difference["recounted"]),
                }
            )
        raise CommandError(
            gettext(
                "%(count)s groups of the evaluation aggregates differ from a full recount; run "
                "python manage.py evaluation_aggregates to recount them."
            )
            % {"count": len(differences)}
        )


def _figures(values) -> str:
    return gettext("none") if values is None else "/".join(map(str, values))
