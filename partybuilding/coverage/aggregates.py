"""Writes of the coverage aggregates: the dashboard's figures summed by the dimensions its
filters use (`CoverageGroup`), and the count of Party organizations by mode for any
combination of those filters (`PartyOrganizationGroup`, with `PartyOrganizationReach`
remembering what each Party organization was counted under). A dashboard then reads a few
hundred rows whatever the number of organizations.

They move in the same transaction as every write of a standing: `standings_refresh` (which
every write ends in: saves through the receivers, the bulk writes, the ledger import, the
standings falling due) hands each chunk to `aggregates_before` and `aggregates_after`, which
take the old rows' contribution out and put the new ones' in, as deltas applied by
`INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n` in the keys' order (two writers
lock the rows they share in the same order: no deadlock). A deleted standing takes its
contribution out (`standing_deleted`). `aggregates_rebuild` recounts everything (after a
restore, a change of STANDALONE_MIN_MEMBERS, SQL written around the product) and
`aggregates_verify` compares the tables with that recount."""

import datetime
from collections import Counter, defaultdict
from itertools import product

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Coalesce

from core import calendar
from registry.choices import OrganizationStatus

from ..models import (
    AGGREGATE_FIGURES,
    Coverage,
    CoverageGroup,
    PartyOrganizationGroup,
    PartyOrganizationReach,
    Standing,
)
from ..signals import standing_keys_moved

ANY = -1  # a key summed over (every supervisory unit, district or industry)
NONE = 0  # an organization without one
NEVER = datetime.date(9999, 12, 31)  # registered_by of an organization without a date
ALREADY = datetime.date(1, 1, 1)  # registered_by of one registered by the day it was counted

GROUP_KEYS = ("supervisory_unit_key", "status", "registered_by", "district_key", "industry_key")
MODE_KEYS = ("supervisory_unit_key", "district_key", "industry_key", "formation_mode")
SNAPSHOT_FIELDS = (
    "organization_id",
    "status",
    "registered_on",
    "district_id",
    "industry_id",
    "supervisory_unit_id",
    "counted_members",
    "has_own_party_organization",
    "has_joint_party_organization",
    "has_open_dispatch",
    "computed_on",
)
# How many Party organizations are re-counted per query.
PARTY_ORGANIZATION_SLICE = 5000


def registered_by(registered_on, day):
    if registered_on is None:
        return NEVER
    if isinstance(registered_on, str):  # a raw SQLite value
        registered_on = datetime.date.fromisoformat(registered_on)
    return ALREADY if registered_on <= day else registered_on


def figure_vector(counted: int, own: bool, joint: bool, dispatch: bool, minimum: int) -> tuple:
    """The figures one standing adds, in AGGREGATE_FIGURES order (R-PB-2..7, as
    `standings.selectors.flag_conditions` and `coverage.selectors` count them)."""
    return (
        1,
        int(counted >= 1),
        int(counted >= minimum),
        int(1 <= counted < minimum),
        int(counted == 0),
        int(counted >= minimum and not own and not joint),
        int(counted >= minimum and not own and joint),
        int(own or joint),
        int(own or joint or dispatch),
        int(dispatch),
    )


def figure_conditions(minimum: int) -> dict:
    """The same figures as conditions on `Standing`, for the recount."""
    own, joint = Q(has_own_party_organization=True), Q(has_joint_party_organization=True)
    return {
        "organizations": Q(),
        "eligible": Q(counted_members__gte=1),
        "standalone_condition": Q(counted_members__gte=minimum),
        "joint_candidates": Q(counted_members__gte=1, counted_members__lt=minimum),
        "needs_dispatch": Q(counted_members=0),
        "should_build_not_built": Q(counted_members__gte=minimum) & ~own & ~joint,
        "should_build_own_warning": Q(counted_members__gte=minimum) & ~own & joint,
        "organization_coverage": own | joint,
        "work_coverage": own | joint | Q(has_open_dispatch=True),
        "open_dispatches": Q(has_open_dispatch=True),
    }


def _signature(row: dict, day, minimum: int) -> tuple:
    """What a standing's contribution depends on: its group and its figures' inputs."""
    counted = row["counted_members"]
    return (
        row["supervisory_unit_id"] or NONE,
        row["status"] or "",
        registered_by(row["registered_on"], day),
        row["district_id"] or NONE,
        row["industry_id"] or NONE,
        0 if counted == 0 else 1 if counted < minimum else minimum,
        bool(row["has_own_party_organization"]),
        bool(row["has_joint_party_organization"]),
        bool(row["has_open_dispatch"]),
    )


def _group_deltas(signatures: Counter, minimum: int) -> dict[tuple, list]:
    """{group key: figure deltas} of the standings counted in `signatures` (+1 in, -1 out):
    unchanged standings cancel out before any figure is worked out."""
    deltas: dict[tuple, list] = {}
    for signature, n in signatures.items():
        if not n:
            continue
        unit, *base, counted, own, joint, dispatch = signature
        vector = figure_vector(counted, own, joint, dispatch, minimum)
        for key in ((ANY, *base), (unit, *base)):
            total = deltas.setdefault(key, [0] * len(vector))
            for index, value in enumerate(vector):
                total[index] += n * value
    return deltas


# --- the hook into the standings' writes -----------------------------------------------------


def aggregates_before(condition: Q) -> dict[int, dict]:
    """The stored standings a refresh is about to overwrite (`condition` on organization_id)."""
    return {
        row["organization_id"]: row
        for row in Standing.objects.filter(condition).values(*SNAPSHOT_FIELDS)
    }


def aggregates_after(before: dict[int, dict], rows: list[dict], condition: Q, today) -> None:
    """Move the aggregates from the standings `before` to the `rows` just written."""
    minimum = settings.PARTY_BUILDING["STANDALONE_MIN_MEMBERS"]
    signatures = Counter(_signature(new, today, minimum) for new in rows)
    signatures.subtract(_signature(old, old["computed_on"], minimum) for old in before.values())
    deltas_apply(CoverageGroup, GROUP_KEYS, AGGREGATE_FIGURES, _group_deltas(signatures, minimum))
    after = {row["organization_id"]: row for row in rows}
    move_reach(condition, _reach_of(after, condition, today))
    _send_moved_keys(before, after)


def standing_deleted(sender, instance, **kwargs) -> None:
    """pre_delete of a standing (its organization deleted): its contribution out."""
    minimum = settings.PARTY_BUILDING["STANDALONE_MIN_MEMBERS"]
    row = {name: getattr(instance, name) for name in SNAPSHOT_FIELDS}
    signatures = Counter({_signature(row, instance.computed_on, minimum): -1})
    deltas_apply(CoverageGroup, GROUP_KEYS, AGGREGATE_FIGURES, _group_deltas(signatures, minimum))
    move_reach(Q(organization_id=instance.organization_id), set())
    _send_moved_keys({instance.organization_id: row}, {})


def standing_keys(row: dict | None) -> tuple | None:
    """(supervisory unit, status, district, industry) of a standing, as the aggregates key
    them; None without a standing."""
    if row is None:
        return None
    return (
        row["supervisory_unit_id"] or NONE,
        row["status"] or "",
        row["district_id"] or NONE,
        row["industry_id"] or NONE,
    )


def _send_moved_keys(before: dict[int, dict], after: dict[int, dict]) -> None:
    """Tell the aggregates of other apps (the evaluations') which organizations' standings
    changed keys: created, deleted, or moved to another unit, status, district or industry."""
    moved = {}
    for organization_id in before.keys() | after.keys():
        old = standing_keys(before.get(organization_id))
        new = standing_keys(after.get(organization_id))
        if old != new:
            moved[organization_id] = (old, new)
    if moved:
        standing_keys_moved.send(sender=Standing, moved=moved)


# --- Party organizations by mode --------------------------------------------------------------


def live_reach(today, party_organizations=None):
    """(party organization, organization, mode, unit, district, industry) of each active
    coverage of an active, registered organization, from the coverages and the standings."""
    coverages = Coverage.objects.filter(
        Q(party_organization__dissolved_on__isnull=True)
        | Q(party_organization__dissolved_on__gt=today),
        party_organization__founded_on__lte=today,
        organization__party_building_standing__status=OrganizationStatus.ACTIVE,
        organization__party_building_standing__registered_on__lte=today,
    )
    if party_organizations is not None:
        coverages = coverages.filter(party_organization_id__in=party_organizations)
    standing = "organization__party_building_standing__"
    return coverages.order_by().values_list(
        "party_organization_id",
        "organization_id",
        "party_organization__formation_mode",
        Coalesce(F(f"{standing}supervisory_unit_id"), NONE),
        Coalesce(F(f"{standing}district_id"), NONE),
        Coalesce(F(f"{standing}industry_id"), NONE),
    )


def _reach_of(rows: dict[int, dict], condition: Q, today) -> set[tuple]:
    """The reach rows of the organizations of `condition` (their standings `rows`, by id):
    each active coverage of one that is active and registered by `today`."""
    reach = set()
    coverages = Coverage.objects.filter(
        Q(party_organization__dissolved_on__isnull=True)
        | Q(party_organization__dissolved_on__gt=today),
        condition,
        party_organization__founded_on__lte=today,
    )
    # Ordered by organization: SQLite then reads the coverages by the organization's index
    # (unordered, it scans every Party organization and probes each id of the list).
    coverages = coverages.order_by("organization_id").values_list(
        "party_organization_id", "organization_id", "party_organization__formation_mode"
    )
    for party_organization, organization, mode in coverages:
        row = rows.get(organization)
        if (
            row is not None
            and row["status"] == OrganizationStatus.ACTIVE
            and row["registered_on"] is not None
            and registered_by(row["registered_on"], today) == ALREADY
        ):
            reach.add(
                (party_organization, organization, mode, row["supervisory_unit_id"] or NONE,
                 row["district_id"] or NONE, row["industry_id"] or NONE)
            )  # fmt: skip
    return reach


REACH_FIELDS = (
    "party_organization_id",
    "organization_id",
    "formation_mode",
    "supervisory_unit_key",
    "district_key",
    "industry_key",
)


def move_reach(condition: Q, new: set[tuple]) -> None:
    """Replace the reach rows of the organizations of `condition` by `new`, and move the
    count of each Party organization whose reach changed: its keys before out, after in."""
    old = set(PartyOrganizationReach.objects.filter(condition).values_list(*REACH_FIELDS))
    if old == new:
        return
    removed, added = old - new, new - old
    party_organizations = sorted({row[0] for row in removed | added})
    stored = set()
    for start in range(0, len(party_organizations), PARTY_ORGANIZATION_SLICE):
        part = party_organizations[start : start + PARTY_ORGANIZATION_SLICE]
        stored.update(
            PartyOrganizationReach.objects.filter(party_organization_id__in=part).values_list(
                *REACH_FIELDS
            )
        )
    counted = _shape_keys((stored - removed) | added)
    counted.subtract(_shape_keys(stored))
    moved = sorted({row[1] for row in removed | added})
    for start in range(0, len(moved), PARTY_ORGANIZATION_SLICE):
        PartyOrganizationReach.objects.filter(
            organization_id__in=moved[start : start + PARTY_ORGANIZATION_SLICE]
        ).delete()
    moved_set = set(moved)
    _insert_reach([row for row in new if row[1] in moved_set])
    deltas = {key: [n] for key, n in counted.items() if n}
    deltas_apply(PartyOrganizationGroup, MODE_KEYS, ("party_organizations",), deltas)


def _insert_reach(rows) -> None:
    if not rows:
        return
    connection = connections[router.db_for_write(PartyOrganizationReach)]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(PartyOrganizationReach._meta.db_table)} "
        f"({', '.join(map(quote, REACH_FIELDS))}) VALUES ({', '.join(['%s'] * 6)})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


SHAPES = list(product((False, True), repeat=3))  # which of unit, district, industry is fixed


def _shape_keys(reach_rows) -> Counter:
    """Each Party organization counted once under each projection of its organizations' keys."""
    by_party_organization = defaultdict(set)
    for party_organization, _organization, mode, unit, district, industry in reach_rows:
        by_party_organization[party_organization, mode].add((unit, district, industry))
    counted = Counter()
    for (_party_organization, mode), keys in by_party_organization.items():
        projected = {
            tuple(value if fixed else ANY for value, fixed in zip(key, shape, strict=True))
            for key in keys
            for shape in SHAPES
        }
        counted.update((*key, mode) for key in projected)
    return counted


# --- applying deltas --------------------------------------------------------------------------


def deltas_apply(model, keys: tuple, figures: tuple, deltas: dict) -> None:
    """Add `deltas` ({key tuple: [figure deltas]}) to `model`'s rows, creating missing ones,
    in the keys' order."""
    changed = sorted(key for key, values in deltas.items() if any(values))
    if not changed:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [*keys, *figures]
    additions = ", ".join(f"{quote(f)} = {table}.{quote(f)} + EXCLUDED.{quote(f)}" for f in figures)
    sql = (
        f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(map(quote, keys))}) DO UPDATE SET {additions}"
    )
    adapt = connection.ops.adapt_datefield_value
    values = [
        [adapt(part) if isinstance(part, datetime.date) else part for part in key]
        + list(deltas[key])
        for key in changed
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


# --- recount, rebuild, verify -----------------------------------------------------------------


def recount_groups() -> dict[tuple, tuple]:
    """Every group's figures counted from the standings: {key: figures}, non-zero groups."""
    minimum = settings.PARTY_BUILDING["STANDALONE_MIN_MEMBERS"]
    conditions = figure_conditions(minimum)
    standings = Standing.objects.order_by().annotate(
        g_registered_by=Case(
            When(registered_on__isnull=True, then=Value(NEVER)),
            When(registered_on__lte=F("computed_on"), then=Value(ALREADY)),
            default=F("registered_on"),
        ),
        g_district=Coalesce(F("district_id"), NONE),
        g_industry=Coalesce(F("industry_id"), NONE),
        g_unit=Coalesce(F("supervisory_unit_id"), NONE),
    )
    counts = {
        name: Count("pk", filter=condition) if condition else Count("pk")
        for name, condition in conditions.items()
    }
    result = {}
    for unit in ("all", "g_unit"):
        keys = ["status", "g_registered_by", "g_district", "g_industry"]
        if unit != "all":
            keys.insert(0, unit)
        for row in standings.values(*keys).annotate(**counts):
            key = (
                row.get("g_unit", ANY),
                row["status"],
                _as_date(row["g_registered_by"]),
                row["g_district"],
                row["g_industry"],
            )
            result[key] = tuple(row[name] for name in AGGREGATE_FIGURES)
    return result


def _as_date(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def recount_party_organization_groups(today=None) -> dict[tuple, int]:
    """The count of Party organizations by mode under every key, from the coverages."""
    counted = _shape_keys(live_reach(today or calendar.today()).iterator(chunk_size=20000))
    return {key: n for key, n in counted.items() if n}


def stored_groups() -> dict[tuple, tuple]:
    return {
        tuple(row[:5]): tuple(row[5:])
        for row in CoverageGroup.objects.values_list(*GROUP_KEYS, *AGGREGATE_FIGURES).iterator()
        if any(row[5:])
    }


def stored_party_organization_groups() -> dict[tuple, int]:
    return {
        tuple(row[:4]): row[4]
        for row in PartyOrganizationGroup.objects.values_list(
            *MODE_KEYS, "party_organizations"
        ).iterator()
        if row[4]
    }


@transaction.atomic
def aggregates_rebuild(today=None) -> dict:
    """Recount every aggregate from the standings and coverages, in one transaction, and
    write only the rows that differ (an aggregate already right keeps its row)."""
    today = today or calendar.today()
    groups = recount_groups()
    aggregate_rows_sync(CoverageGroup, GROUP_KEYS, AGGREGATE_FIGURES, groups)
    stored = set(PartyOrganizationReach.objects.values_list(*REACH_FIELDS).iterator())
    live = set(live_reach(today).iterator(chunk_size=20000))
    gone = stored - live
    for row in gone:
        PartyOrganizationReach.objects.filter(**dict(zip(REACH_FIELDS, row, strict=True))).delete()
    _insert_reach(sorted(live - stored))
    by_mode = {key: (n,) for key, n in recount_party_organization_groups(today).items()}
    aggregate_rows_sync(PartyOrganizationGroup, MODE_KEYS, ("party_organizations",), by_mode)
    return {"groups": len(groups), "party_organization_groups": len(by_mode)}


def aggregate_rows_sync(model, keys: tuple, figures: tuple, recounted: dict) -> None:
    """Make `model`'s rows hold `recounted` ({key: figures}; a key absent counts zero)."""
    zeros = (0,) * len(figures)
    stored = {
        tuple(row[1 : len(keys) + 1]): (row[0], tuple(row[len(keys) + 1 :]))
        for row in model.objects.values_list("pk", *keys, *figures).iterator()
    }
    changed, created = [], []
    for key in set(recounted) | set(stored):
        values = recounted.get(key, zeros)
        fields = {**dict(zip(keys, key, strict=True)), **dict(zip(figures, values, strict=True))}
        if key not in stored:
            created.append(model(**fields))
        elif stored[key][1] != values:
            changed.append(model(pk=stored[key][0], **fields))
    model.objects.bulk_update(changed, figures, batch_size=500)
    model.objects.bulk_create(created, batch_size=2000)


def aggregates_verify(today=None) -> list[dict]:
    """The groups whose stored figures differ from a full recount: [{"table", "key",
    "stored", "recounted"}]; empty when the aggregates are right."""
    differences = []
    for table, stored, recounted in (
        ("groups", stored_groups(), recount_groups()),
        (
            "party_organizations",
            stored_party_organization_groups(),
            recount_party_organization_groups(today),
        ),
    ):
        for key in sorted(set(stored) | set(recounted), key=repr):
            if stored.get(key) != recounted.get(key):
                differences.append(
                    {
                        "table": table,
                        "key": key,
                        "stored": stored.get(key),
                        "recounted": recounted.get(key),
                    }
                )
    return differences
