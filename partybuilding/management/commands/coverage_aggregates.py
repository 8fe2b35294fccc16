import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from partybuilding.choices import FormationMode
from partybuilding.coverage.aggregates import (
    ALREADY,
    ANY,
    NEVER,
    aggregates_rebuild,
    aggregates_verify,
)
from registry.choices import OrganizationStatus
from registry.models import District, Industry, SupervisoryUnit


class Command(BaseCommand):
    help = (
        "Recount the coverage aggregates (the dashboard's figures by district, industry, "
        "supervisory unit and status) from the stored standings. The product keeps them "
        "current by itself; run this after writing to the database around it or after "
        "changing DJANGO_PB_STANDALONE_MIN_MEMBERS. With --verify, change nothing: compare "
        "them with a full recount and exit with status 1 if any group differs."
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
            counted = aggregates_rebuild()
            self.stdout.write(
                gettext(
                    "Recounted the coverage aggregates: %(groups)s groups of organizations, "
                    "%(modes)s counts of Party organizations (%(seconds).1f seconds)"
                )
                % {
                    "groups": counted["groups"],
                    "modes": counted["party_organization_groups"],
                    "seconds": time.perf_counter() - started,
                }
            )
            return
        differences = aggregates_verify()
        seconds = time.perf_counter() - started
        if not differences:
            self.stdout.write(
                gettext("The coverage aggregates equal a full recount (%(seconds).1f seconds).")
                % {"seconds": seconds}
            )
            return
        names = _names()
        self.stdout.write(
            gettext(
                "Figures of a group: organizations / eligible / able to build their own / "
                "joint candidates / to be helped by a dispatch / should build, not built / "
                "should build their own / organization coverage / work coverage / open "
                "dispatches."
            )
        )
        for difference in differences:
            self.stdout.write(
                gettext("%(group)s: stored %(stored)s, recounted %(recounted)s")
                % {
                    "group": _describe(difference, names),
                    "stored": _figures(difference["stored"]),
                    "recounted": _figures(difference["recounted"]),
                }
            )
        raise CommandError(
            gettext(
                "%(count)s groups of the coverage aggregates differ from a full recount; run "
                "python manage.py coverage_aggregates to recount them."
            )
            % {"count": len(differences)}
        )


def _names() -> dict:
    return {
        "unit": dict(SupervisoryUnit.objects.values_list("pk", "name")),
        "district": dict(District.objects.values_list("pk", "name")),
        "industry": dict(Industry.objects.values_list("pk", "name")),
    }


def _name(kind: str, key: int, names: dict) -> str:
    if key == ANY:
        return gettext("all")
    if key == 0:
        return gettext("(not filled in)")
    return names[kind].get(key, f"#{key}")


def _describe(difference: dict, names: dict) -> str:
    key = difference["key"]
    if difference["table"] == "groups":
        unit, status, registered_by, district, industry = key
        return gettext(
            "Organizations of supervisory unit %(unit)s, district %(district)s, industry "
            "%(industry)s, status %(status)s, registered by %(registered_by)s"
        ) % {
            "unit": _name("unit", unit, names),
            "district": _name("district", district, names),
            "industry": _name("industry", industry, names),
            "status": _label(OrganizationStatus, status),
            "registered_by": _registered(registered_by),
        }
    unit, district, industry, mode = key
    return gettext(
        "Party organizations (%(mode)s) of supervisory unit %(unit)s, district %(district)s, "
        "industry %(industry)s"
    ) % {
        "mode": _label(FormationMode, mode),
        "unit": _name("unit", unit, names),
        "district": _name("district", district, names),
        "industry": _name("industry", industry, names),
    }


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _registered(registered_by) -> str:
    if registered_by == ALREADY:
        return gettext("the day it was counted")
    if registered_by == NEVER:
        return gettext("never (no registration date)")
    return str(registered_by)


def _figures(values) -> str:
    if values is None:
        return gettext("none")
    if isinstance(values, int):
        return str(values)
    return "/".join(map(str, values))
