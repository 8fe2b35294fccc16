"""Writes of the stored Party-building figures (`Standing`): recomputed by every write to what
they count (the receivers and the bulk writes call `standings_refresh`), and on the day a date
entered in advance makes them change (`standings_refresh_due`, run on that day by the task
`schedule_due_refresh` queues, and by `refresh_standings --due`). Reads never write them.

The queue holds one task at a time per process, not one per date: a write queues the refresh
of the first day one of the rows it wrote falls due, and each due refresh queues the next day
any row falls due, so every date is reached and a refresh missed (a lost task, a worker down)
is made good by the next one."""

import datetime
import logging
from operator import itemgetter

from django.db import connections, router, transaction
from django.db.models import Min, Q
from django.utils import timezone

from core import calendar
from registry.models import Organization

from ..coverage.aggregates import aggregates_after, aggregates_before
from ..models import Standing
from .selectors import EMPTY_STANDING, STANDING_FIELDS, standing_boundaries, standing_figures

logger = logging.getLogger(__name__)

# Organizations recomputed per pass (each pass reads their members, coverages and dispatches).
STANDINGS_CHUNK = 20000


ORGANIZATION_COPIES = (
    "status",
    "registered_on",
    "district_id",
    "industry_id",
    "supervisory_unit_id",
)


def standings_refresh(
    organization_ids=None, *, today: datetime.date | None = None, chunk_size: int = STANDINGS_CHUNK
) -> int:
    """Recompute the stored Party-building figures (`Standing`) of these organizations, or of
    all of them (None), a chunk at a time, with the copies of the organization fields they are
    scoped and grouped by. Every write to organizations, members, Party organizations,
    coverages or dispatches ends here: model saves through the receivers, bulk writes by
    calling it. Queues the refresh of the first day one of them falls due. Returns how many
    organizations it wrote."""
    today = today or calendar.today()
    written = 0
    first_due = None
    for chunk, condition in _organization_chunks(organization_ids, chunk_size):
        figures = standing_figures(condition, as_of=today)
        boundaries = standing_boundaries(condition, today)
        first_due = min(filter(None, (first_due, *boundaries.values())), default=None)
        rows = [
            {
                "organization_id": organization["pk"],
                **{name: organization[name] for name in ORGANIZATION_COPIES},
                "computed_on": today,
                "valid_until": boundaries.get(organization["pk"]),
                **figures.get(organization["pk"], EMPTY_STANDING),
            }
            for organization in chunk
        ]
        with transaction.atomic(using=router.db_for_write(Standing)):
            before = aggregates_before(condition)  # the coverage aggregates move with the rows
            _upsert_standings(rows, STANDING_FIELDS)
            aggregates_after(before, rows, condition, today)
        written += len(chunk)
    schedule_due_refresh(first_due)
    return written


STANDINGS_UPSERT_CHUNK = 2000


def _upsert_standings(rows: list[dict], figure_fields) -> None:
    """INSERT … ON CONFLICT (organization_id) DO UPDATE, by executemany (SQLite ≥ 3.24 and
    PostgreSQL): what bulk_create(update_conflicts=True) writes, without building a model
    instance and compiling every value through the ORM — that took most of the refresh's time
    in the ledger import's profile (100,000 organizations)."""
    if not rows:
        return
    connection = connections[router.db_for_write(Standing)]
    quote = connection.ops.quote_name
    columns = [
        "organization_id",
        *ORGANIZATION_COPIES,
        *figure_fields,
        "computed_on",
        "valid_until",
    ]
    dates = {"registered_on", "computed_on", "valid_until"}
    updates = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in columns[1:])
    sql = (
        f"INSERT INTO {quote(Standing._meta.db_table)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({quote('organization_id')}) DO UPDATE SET {updates}"
    )
    adapt = connection.ops.adapt_datefield_value
    # Every column read at once (itemgetter, in C); then only the dates adapted, each distinct
    # date once (the computed day is every row's, registration days repeat).
    read = itemgetter(*columns)
    positions = [n for n, column in enumerate(columns) if column in dates]
    adapted: dict = {}
    values = []
    for row in rows:
        value = list(read(row))
        for n in positions:
            day = value[n]
            if day.__class__ is datetime.date:
                if day not in adapted:
                    adapted[day] = adapt(day)
                value[n] = adapted[day]
            else:
                value[n] = adapt(day)
        values.append(value)
    with connection.cursor() as cursor:
        for start in range(0, len(values), STANDINGS_UPSERT_CHUNK):
            cursor.executemany(sql, values[start : start + STANDINGS_UPSERT_CHUNK])


def _organization_chunks(organization_ids, chunk_size: int):
    """(organizations as dicts of the copied fields, the matching condition on
    organization_id) for each chunk of existing organizations. All of them go by primary-key
    range, so each pass reads members, coverages and dispatches by index range rather than by
    a long list of ids."""
    fields = ("pk", *ORGANIZATION_COPIES)
    if organization_ids is None:
        last_pk = 0
        while chunk := list(
            Organization.objects.filter(pk__gt=last_pk).order_by("pk").values(*fields)[:chunk_size]
        ):
            yield chunk, Q(organization_id__gt=last_pk, organization_id__lte=chunk[-1]["pk"])
            last_pk = chunk[-1]["pk"]
        return
    wanted = sorted(set(organization_ids))
    for start in range(0, len(wanted), chunk_size):
        ids = wanted[start : start + chunk_size]
        if ids[-1] - ids[0] + 1 == len(ids):
            # Consecutive keys (the rows a bulk write or an import just inserted) are exactly
            # the range they span: read by range too, instead of a list of thousands of ids
            # that the ORM prepares one by one in every query of the pass.
            first, last = ids[0], ids[-1]
            chunk = list(
                Organization.objects.filter(pk__gte=first, pk__lte=last)
                .order_by("pk")
                .values(*fields)
            )
            if chunk:
                yield chunk, Q(organization_id__gte=first, organization_id__lte=last)
            continue
        chunk = list(Organization.objects.filter(pk__in=ids).values(*fields))
        if chunk:
            yield chunk, Q(organization_id__in=[row["pk"] for row in chunk])


def standings_refresh_due(today: datetime.date | None = None) -> int:
    """Recompute the rows whose figures changed by the calendar alone (a member's leaving date,
    a dispatch's end … entered in advance), and queue the refresh of the next day a row falls
    due. Two indexed queries when nothing is due."""
    today = today or calendar.today()
    refreshed = 0
    while due := list(
        Standing.objects.filter(valid_until__lte=today).values_list("organization_id", flat=True)[
            :STANDINGS_CHUNK
        ]
    ):
        refreshed += standings_refresh(due, today=today)
    following = Standing.objects.filter(valid_until__gt=today).aggregate(Min("valid_until"))
    schedule_due_refresh(following["valid_until__min"])
    return refreshed


# The days this process has queued a refresh for: one task per day however many writes fall
# due on it (another process may queue the same day; its run then finds nothing due, one
# indexed query).
_queued_due_dates: set[datetime.date] = set()


def schedule_due_refresh(day: datetime.date | None) -> None:
    """Queue `standings_refresh_due` for the start of `day` once the writing transaction
    commits. A queue that cannot take it is logged, not raised: the write stands, and the
    next due refresh (or `refresh_standings --due`) puts the rows right."""
    if day is not None and day not in _queued_due_dates:
        transaction.on_commit(lambda: _enqueue_due_refresh(day))


def _enqueue_due_refresh(day: datetime.date) -> None:
    from .tasks import refresh_due_standings

    if day in _queued_due_dates:  # queued by another write of the same transaction
        return
    run_after = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    try:
        refresh_due_standings.using(run_after=run_after).enqueue()
    except Exception:
        logger.exception("Could not queue the standings refresh due on %s", day)
    else:
        _queued_due_dates.add(day)
