"""The evaluations' aggregates (`EvaluationGroup`): the dashboard's evaluation panel (R-EV-6)
counted by year, grade and the keys of the coverage aggregates (supervisory unit or -1 for all,
status, district, industry: those of the organization's stored standing), so that the panel
reads a few hundred rows whatever the number of evaluations.

A decided evaluation counts under its organization's standing (none: not counted). The counts
move in the transaction of every write: an evaluation saved or deleted (the receivers below
take the stored row's contribution out and the new one's in), a standing created, deleted or
moved to other keys (`partybuilding.signals.standing_keys_moved`: its organization's decided
evaluations move with it). `evaluation_aggregates_rebuild` recounts them (after a restore, SQL
written around the product), `evaluation_aggregates_verify` compares them with that recount."""

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from partybuilding.coverage.aggregates import (
    ANY,
    NONE,
    aggregate_rows_sync,
    deltas_apply,
    standing_keys,
)
from partybuilding.models import Standing

from .choices import EvaluationStatus
from .models import Evaluation, EvaluationGroup

GROUP_KEYS = ("supervisory_unit_key", "year", "status", "district_key", "industry_key", "grade")
FIGURES = ("evaluated", "with_party_organization", "downgraded")
EVALUATION_FIELDS = (
    "organization_id",
    "year",
    "status",
    "grade",
    "had_party_organization",
    "downgraded",
)
STANDING_KEY_FIELDS = ("supervisory_unit_id", "status", "district_id", "industry_id")
# Organizations whose evaluations are read per query when their standings move.
ORGANIZATION_SLICE = 5000


def _add(deltas: dict, evaluation: dict, keys: tuple | None, sign: int) -> None:
    """Add (sign 1) or take out (-1) a decided evaluation's counts under `keys` (its
    organization's `standing_keys`) and under every unit."""
    if keys is None or evaluation["status"] != EvaluationStatus.DECIDED:
        return
    unit, status, district, industry = keys
    figures = (1, int(bool(evaluation["had_party_organization"])), int(evaluation["downgraded"]))
    for unit_key in (ANY, unit):
        key = (unit_key, evaluation["year"], status, district, industry, evaluation["grade"])
        total = deltas.setdefault(key, [0] * len(FIGURES))
        for index, value in enumerate(figures):
            total[index] += sign * value


def _keys_of(organization_ids) -> dict[int, tuple]:
    rows = Standing.objects.filter(organization_id__in=organization_ids).values(
        "organization_id", *STANDING_KEY_FIELDS
    )
    return {row["organization_id"]: standing_keys(row) for row in rows}


def _stored(pk) -> dict | None:
    return Evaluation.objects.filter(pk=pk).values(*EVALUATION_FIELDS).first()


def _decided(row: dict | None) -> bool:
    return row is not None and row["status"] == EvaluationStatus.DECIDED


def _move(old: dict | None, new: dict | None) -> None:
    """An evaluation's counts from its stored row `old` to `new` (None: none)."""
    if not (_decided(old) or _decided(new)):
        return
    keys = _keys_of({row["organization_id"] for row in (old, new) if row is not None})
    deltas = {}
    if old is not None:
        _add(deltas, old, keys.get(old["organization_id"]), -1)
    if new is not None:
        _add(deltas, new, keys.get(new["organization_id"]), 1)
    deltas_apply(EvaluationGroup, GROUP_KEYS, FIGURES, deltas)


# --- receivers --------------------------------------------------------------------------------


def evaluation_before_save(sender, instance, **kwargs) -> None:
    """pre_save: the stored row the save overwrites (a new evaluation has none)."""
    instance._aggregated_row = None if instance.pk is None else _stored(instance.pk)


def evaluation_saved(sender, instance, **kwargs) -> None:
    """post_save: the evaluation's counts move from its stored row to the saved one."""
    old = getattr(instance, "_aggregated_row", None)
    instance._aggregated_row = None
    _move(old, {name: getattr(instance, name) for name in EVALUATION_FIELDS})


def evaluation_before_delete(sender, instance, **kwargs) -> None:
    """pre_delete: the stored row's counts out."""
    _move(_stored(instance.pk), None)


def standings_moved(sender, *, moved: dict, **kwargs) -> None:
    """`standing_keys_moved`: the decided evaluations of organizations whose standings were
    created, deleted or changed keys move from the old keys to the new."""
    decided = Evaluation.objects.filter(status=EvaluationStatus.DECIDED)
    if not decided.exists():  # a first day's import: no need to ask about each organization
        return
    ids = sorted(moved)
    deltas = {}
    for start in range(0, len(ids), ORGANIZATION_SLICE):
        evaluations = Evaluation.objects.filter(
            organization_id__in=ids[start : start + ORGANIZATION_SLICE],
            status=EvaluationStatus.DECIDED,
        ).values(*EVALUATION_FIELDS)
        for evaluation in evaluations:
            old, new = moved[evaluation["organization_id"]]
            _add(deltas, evaluation, old, -1)
            _add(deltas, evaluation, new, 1)
    deltas_apply(EvaluationGroup, GROUP_KEYS, FIGURES, deltas)


def recount_after_restore(sender, **kwargs) -> None:
    """A restored database's evaluation aggregates are recounted."""
    evaluation_aggregates_rebuild()


# --- recount, rebuild, verify -----------------------------------------------------------------


def recount_evaluation_groups() -> dict[tuple, tuple]:
    """Every group counted from the decided evaluations and their organizations' standings."""
    standing = "organization__party_building_standing__"
    evaluations = (
        Evaluation.objects.filter(
            status=EvaluationStatus.DECIDED, organization__party_building_standing__isnull=False
        )
        .order_by()
        .annotate(
            g_unit=Coalesce(F(f"{standing}supervisory_unit_id"), NONE),
            g_status=F(f"{standing}status"),
            g_district=Coalesce(F(f"{standing}district_id"), NONE),
            g_industry=Coalesce(F(f"{standing}industry_id"), NONE),
        )
    )
    counts = {
        "evaluated": Count("pk"),
        "with_party_organization": Count("pk", filter=Q(had_party_organization=True)),
        "downgraded_n": Count("pk", filter=Q(downgraded=True)),
    }
    result = {}
    for unit in (None, "g_unit"):
        keys = ["year", "g_status", "g_district", "g_industry", "grade"]
        if unit:
            keys.insert(0, unit)
        for row in evaluations.values(*keys).annotate(**counts):
            key = (
                row.get("g_unit", ANY),
                row["year"],
                row["g_status"],
                row["g_district"],
                row["g_industry"],
                row["grade"],
            )
            result[key] = (row["evaluated"], row["with_party_organization"], row["downgraded_n"])
    return result


def stored_evaluation_groups() -> dict[tuple, tuple]:
    width = len(GROUP_KEYS)
    return {
        tuple(row[:width]): tuple(row[width:])
        for row in EvaluationGroup.objects.values_list(*GROUP_KEYS, *FIGURES).iterator()
        if any(row[width:])
    }


@transaction.atomic
def evaluation_aggregates_rebuild() -> int:
    """Recount the evaluation aggregates, writing only the rows that differ. Returns how many
    groups hold evaluations."""
    recounted = recount_evaluation_groups()
    aggregate_rows_sync(EvaluationGroup, GROUP_KEYS, FIGURES, recounted)
    return len(recounted)


def evaluation_aggregates_verify() -> list[dict]:
    """The groups whose stored counts differ from a full recount: [{"key", "stored",
    "recounted"}]; empty when they are right."""
    stored, recounted = stored_evaluation_groups(), recount_evaluation_groups()
    return [
        {"key": key, "stored": stored.get(key), "recounted": recounted.get(key)}
        for key in sorted(set(stored) | set(recounted), key=repr)
        if stored.get(key) != recounted.get(key)
    ]


# --- reading ----------------------------------------------------------------------------------


def aggregated_grade_counts(year: int, copied: dict) -> list[tuple]:
    """(grade, evaluated, with a Party organization, downgraded) of `year`'s decided
    evaluations of the organizations of the scope `copied` (as
    `partybuilding.coverage.selectors.standings_of` takes it), from the aggregates."""
    value = {name: getattr(value, "pk", value) for name, value in copied.items()}
    conditions = {"year": year, "supervisory_unit_key": value.get("supervisory_unit", ANY)}
    for name in ("district", "industry"):
        if name in value:
            conditions[f"{name}_key"] = value[name] or NONE
    if "status" in value:
        conditions["status"] = value["status"]
    return list(
        EvaluationGroup.objects.filter(**conditions).order_by().values_list("grade", *FIGURES)
    )
