"""`generate_scale_data`: a province's worth of realistic organizations, written in bulk.

Simple-history tables are not filled: the data arrives as if migrated in, with no past edits."""

import random
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Substr

from annualcheck.models import AnnualCheck
from demo.registry_demo import FUNCTIONAL_ZONES
from evaluation.models import Evaluation, EvaluationGroup, Indicator, Scheme
from evaluation.reference_data import PARTY_BUILDING
from partybuilding.models import (
    Coverage,
    CoverageGroup,
    Dispatch,
    IndustryLead,
    PartyMember,
    PartyOrganization,
    PartyOrganizationGroup,
    PartyOrganizationReach,
    Standing,
)
from registry.choices import DistrictKind
from registry.models import (
    District,
    Industry,
    Organization,
    PartyBuildingBody,
    Street,
    SupervisoryUnit,
)
from registry.services import divisions_import

from .build import Context, build_chunk
from .people import CREDIT_PREFIX, IdNumbers, NameSpace
from .vocabulary import CITIES, DEPARTMENTS
from .writer import TableWriter, analyze, next_id, reset_sequences

CHUNK = 10_000
# The tables the standings' refresh writes, their aggregates' rows updated by every chunk.
REFRESHED_MODELS = [
    Standing,
    CoverageGroup,
    PartyOrganizationGroup,
    PartyOrganizationReach,
    EvaluationGroup,
]
WRITTEN_MODELS = [
    Organization,
    PartyMember,
    PartyOrganization,
    Coverage,
    Dispatch,
    IndustryLead,
    IndustryLead.driven_organizations.through,
    AnnualCheck,
    Evaluation,
]


class AlreadyFilled(Exception):
    pass


def generate(organizations: int, *, seed: int = 1, append: bool = False, log=print) -> dict:
    """Write `organizations` organizations and what surrounds them; return rows per table."""
    existing = Organization.objects.count()
    if existing and not append:
        raise AlreadyFilled(existing)
    started = time.perf_counter()
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")  # a generator, not a ledger of record
    context = _context(seed, append=bool(existing))
    writer = TableWriter()
    done = 0
    while done < organizations:
        size = min(CHUNK, organizations - done)
        with transaction.atomic():
            build_chunk(context, writer, size)
            writer.flush()
        done += size
        log(f"  {done:,}/{organizations:,} 家社会组织（{time.perf_counter() - started:.1f} 秒）")
    analyze_started = time.perf_counter()
    analyze()  # the refresh's queries need the planner to know the new rows
    writer.seconds["ANALYZE"] = time.perf_counter() - analyze_started
    with transaction.atomic():
        reset_sequences(WRITTEN_MODELS)
        refresh_started = time.perf_counter()
        _refresh_standings(log)
        writer.seconds["standings_refresh()"] = time.perf_counter() - refresh_started
    analyze_started = time.perf_counter()
    analyze(rewritten=REFRESHED_MODELS)
    writer.seconds["ANALYZE"] += time.perf_counter() - analyze_started
    log("每张表的写入时间 / time per table:")
    for table, seconds in writer.seconds.items():
        count = writer.counts.get(table)
        rows = f"{count:>10,} 行" if count is not None else " " * 12
        log(f"  {table:<50} {rows}  {seconds:8.2f} 秒")
    log(f"共用时 / total: {time.perf_counter() - started:.1f} 秒")
    return dict(writer.counts)


def _refresh_standings(log) -> None:
    from partybuilding.standings.services import standings_refresh

    standings_refresh(None)


def prepare_reference_data() -> None:
    """Districts, streets and supervisory units the organizations refer to (idempotent)."""
    divisions_import(functional_zones=FUNCTIONAL_ZONES)
    _supervisory_units()


def _context(seed: int, *, append: bool) -> Context:
    prepare_reference_data()
    districts = list(District.objects.order_by("pk"))
    places = [
        (d.pk, d.name if d.kind == DistrictKind.ADMINISTRATIVE else f"长春{d.name}")
        for d in districts
    ]
    streets = {}
    for street in Street.objects.order_by("pk"):
        streets.setdefault(street.district_id, []).append((street.pk, street.name))
    industries = dict(Industry.objects.values_list("code", "pk"))
    fallback = next(iter(industries.values()))
    for code in ("elderly_care", "social_work", "community", "affairs",
                 "civil_org_management", "hub", "other"):  # fmt: skip
        industries.setdefault(code, fallback)
    taken_names, taken_ids = set(), set()
    if append:
        taken_names = set(Organization.objects.values_list("name", flat=True).iterator())
        taken_ids = set(PartyMember.objects.values_list("id_number_digest", flat=True).iterator())
    return Context(
        rng=random.Random(seed),
        names=NameSpace(places, seed),
        ids=IdNumbers(seed),
        industries=industries,
        streets=streets,
        district_names={d.pk: d.name for d in districts},
        regions={d.pk: d.code or settings.REGISTRY["REGION_CODE"] for d in districts},
        units=list(SupervisoryUnit.objects.order_by("pk").values_list("pk", "is_civil_affairs")),
        body_id=PartyBuildingBody.objects.filter(is_default=True).values_list("pk", flat=True)[0],
        schemes=_schemes(),
        next_id={model._meta.label: next_id(model) for model in WRITTEN_MODELS},
        organization_index=_last_sequence(),
        person_index=PartyMember.objects.count(),
        taken_names=taken_names,
        taken_id_numbers=taken_ids,
    )


def _supervisory_units() -> None:
    """A province's few hundred business supervisory units: each city's departments."""
    units = [
        SupervisoryUnit(name=f"{city}{department}", is_civil_affairs=civil_affairs)
        for city in CITIES
        for department, civil_affairs in DEPARTMENTS
    ]
    SupervisoryUnit.objects.bulk_create(units, ignore_conflicts=True)


def _schemes() -> list[tuple[int, int, list[int], int]]:
    maxima = dict(
        Indicator.objects.filter(parent=None, code=PARTY_BUILDING).values_list(
            "scheme_id", "max_points"
        )
    )
    return [
        (s.year, s.pk, [t for _g, t in s.thresholds()], maxima.get(s.pk, 50))
        for s in Scheme.objects.order_by("year")
    ]


def _last_sequence() -> int:
    """Credit-code sequences of earlier runs (K0000001 …) continue; names follow them."""
    start = 10  # 1-based position of the 7 digits after the prefix
    series = Organization.objects.filter(credit_code__regex=rf"^.{{8}}{CREDIT_PREFIX}[0-9]{{7}}")
    top = series.aggregate(top=Max(Substr("credit_code", start, 7)))["top"]
    return int(top) if top else 0
