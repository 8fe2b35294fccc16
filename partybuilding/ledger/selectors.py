"""Reads of the Party-building ledger (台账): one row per organization with its standing, and
the columns higher apps register (最近年检结论, 评估等级), streamed in chunks for the page, the
download and the background export alike."""

import datetime
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from core import calendar
from registry.models import Organization

from ..standings.selectors import with_party_building
from .history import HISTORICAL_FIELDS, values_as_of

LEDGER_FIELDS = (
    "pk",
    "name",
    "credit_code",
    "organization_type",
    "industry__name",
    "supervisory_unit__name",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "district__name",
    "street__name",
    "full_time_staff",
    "established_on",
    "registered_on",
    "full_members",
    "probationary_members",
    "counted_members",
    "party_organization_name",
    "party_organization_mode",
    "instructor_name",
    "party_building_status",
    "organization_covered",
    "work_covered",
    "should_build_own_warning",
)


@dataclass(frozen=True)
class LedgerExtension:
    """A column a higher app adds to the ledger (annual-check result, grade …). The ledger
    cannot import those apps; they register here from their AppConfig.ready().

    Its figures are read per chunk of rows, not per row: `latest(organization_ids, as_of)` reads
    in one query the values of `fields` for every organization that has any (by id), and
    `display(row)` turns a row holding those fields into the cell text."""

    header: str
    field: str
    width: int
    fields: tuple[str, ...]  # the values `latest` reads and `display` needs
    latest: Callable[[list[int], datetime.date], dict[int, tuple]]
    display: Callable[[dict], str]

    def texts(self, organization_ids: list[int], as_of: datetime.date) -> dict[int, str]:
        """The cell text of every organization that has one, from one query."""
        shown = {}  # the same few (year, result) pairs recur on every line
        texts = {}
        for pk, values in self.latest(organization_ids, as_of).items():
            if values not in shown:
                shown[values] = self.display(dict(zip(self.fields, values, strict=True)))
            texts[pk] = shown[values]
        return texts


LEDGER_EXTENSIONS: list[LedgerExtension] = []


def register_ledger_extension(extension: LedgerExtension) -> None:
    if all(existing.field != extension.field for existing in LEDGER_EXTENSIONS):
        LEDGER_EXTENSIONS.append(extension)


def of_organizations(queryset: QuerySet, organization_ids: list[int]) -> QuerySet:
    """`queryset` (of a model with `organization_id`) narrowed to `organization_ids`, a chunk of
    the ledger's rows."""
    if connection.vendor == "postgresql":
        # One array parameter: an IN list of thousands of placeholders costs more to build
        # and parse than the query takes; "= ANY" is one index scan over all of them.
        # The array as its text: joined in C, not adapted element by element.
        column = f"{connection.ops.quote_name(queryset.model._meta.db_table)}.organization_id"
        ids = "{" + ",".join(map(str, organization_ids)) + "}"
        return queryset.filter(
            RawSQL(f"{column} = ANY(%s::bigint[])", (ids,), output_field=BooleanField())
        )
    return queryset.filter(organization_id__in=organization_ids)


def latest_by_organization(
    queryset: QuerySet, organization_ids: list[int], fields: tuple[str, ...]
) -> dict[int, tuple]:
    """The values of `fields` of each organization's row with the highest year, by organization
    id, for `organization_ids`: one query ordered by organization and year, the first row of
    each organization kept."""
    if not organization_ids:
        return {}
    queryset = of_organizations(queryset, organization_ids)
    rows = queryset.order_by("organization_id", "-year").values_list("organization_id", *fields)
    latest = {}
    for organization_id, *values in rows:
        if organization_id not in latest:
            latest[organization_id] = tuple(values)
    return latest


def _ledger_ordered(organizations: QuerySet, as_of: datetime.date) -> QuerySet:
    queryset = with_party_building(organizations, as_of=as_of)
    return queryset.order_by("industry__sort_order", "district__code", "name", "pk")


def ledger_queryset(organizations: QuerySet, *, as_of=None) -> QuerySet:
    """The ledger's organizations in its order, with LEDGER_FIELDS: what the page paginates
    (by primary key) before it reads a page's rows through `ledger_rows`."""
    return _ledger_ordered(organizations, as_of or calendar.today()).values(*LEDGER_FIELDS)


class LedgerRows:
    """The ledger streamed from the database in chunks of `chunk_size` organizations, each
    chunk's extension columns read with one query apiece: memory stays flat at any size.

    The one way the ledger's rows are read: `chunks()` gives each chunk as tuples in
    LEDGER_FIELDS order with, per extension, its cell texts by organization id (the workbook
    writes them as they come); iterating gives the same rows one dict per organization,
    LEDGER_FIELDS and each extension's cell text under its field (the page, the glance)."""

    def __init__(self, organizations: QuerySet, *, as_of=None, chunk_size: int = 5000):
        self.organizations = organizations
        self.as_of = as_of or calendar.today()
        self.chunk_size = chunk_size

    def _batches(self, queryset: QuerySet):
        rows = queryset.iterator(chunk_size=self.chunk_size)
        while batch := list(islice(rows, self.chunk_size)):
            yield batch

    def __iter__(self):
        for batch, texts in self._chunks():
            for values in batch:
                row = dict(zip(LEDGER_FIELDS, values, strict=True))
                for extension, extension_texts in zip(LEDGER_EXTENSIONS, texts, strict=True):
                    row[extension.field] = extension_texts.get(row["pk"], "")
                yield row

    def chunks(self, *, prefetch: bool = False):
        """With `prefetch`, on PostgreSQL and outside a transaction, the chunks are read ahead
        by a thread with a connection of its own while the caller writes the previous ones."""
        if prefetch and connection.vendor == "postgresql" and not connection.in_atomic_block:
            return _read_ahead(self._streamed_chunks)
        return self._chunks()

    def _with_texts(self, batch):
        ids = [row[0] for row in batch]
        if self.as_of < calendar.today():
            batch = _as_they_were(batch, values_as_of(ids, self.as_of))
        return batch, [extension.texts(ids, self.as_of) for extension in LEDGER_EXTENSIONS]

    def _chunks(self):
        ordered = _ledger_ordered(self.organizations, self.as_of)
        for batch in self._batches(ordered.values_list(*LEDGER_FIELDS)):
            yield self._with_texts(batch)

    def _streamed_chunks(self):
        """`_chunks` through a named cursor in a transaction of its own: without one the
        server computes and stores the whole result before the first row (WITH HOLD). The
        driver's tuples are used as they come (no per-row conversion: the types match)."""
        ordered = _ledger_ordered(self.organizations, self.as_of).values_list(*LEDGER_FIELDS)
        sql, params = ordered.query.get_compiler(connection=connection).as_sql()
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor(name="ledger_rows") as cursor:
                cursor.execute(sql, params)
                names = [column.name for column in cursor.description]
                order = None
                if names != list(LEDGER_FIELDS):
                    order = itemgetter(*[names.index(name) for name in LEDGER_FIELDS])
                while batch := cursor.fetchmany(self.chunk_size):
                    if order is not None:
                        batch = [order(row) for row in batch]
                    yield self._with_texts(batch)


def _as_they_were(batch: list, earlier: dict[int, dict]) -> list:
    """The batch's rows with the registry's values of `earlier` (ledger.history) put back."""
    if not earlier:
        return batch
    positions = {field: LEDGER_FIELDS.index(field) for field in HISTORICAL_FIELDS}
    rows = []
    for row in batch:
        values = earlier.get(row[0])
        if values is not None:
            row = list(row)
            for field, value in values.items():
                row[positions[field]] = value
            row = tuple(row)
        rows.append(row)
    return rows


_READ_AHEAD_CHUNKS = 2  # a few chunks in memory, whatever the row count


def _read_ahead(produce):
    """Iterate `produce()` in a thread (its own database connection) a few items ahead."""
    items = queue.Queue(maxsize=_READ_AHEAD_CHUNKS)
    stop = threading.Event()
    done = object()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def run():
        produced = produce()
        try:
            for item in produced:
                if not put(item):
                    return
            put(done)
        except BaseException as error:  # re-raised in the caller's thread
            put(error)
        finally:
            produced.close()
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, name="ledger-read-ahead", daemon=True)
    thread.start()
    try:
        while (item := items.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def ledger_rows(organizations: QuerySet, *, as_of=None, chunk_size: int = 5000) -> LedgerRows:
    """The ledger, one dict per organization, streamed from the database in chunks."""
    return LedgerRows(organizations, as_of=as_of, chunk_size=chunk_size)


def party_building_glance(organization_id: int, *, as_of=None) -> dict | None:
    """One organization's Party-building at a glance (its admin page, the portal's home):
    its ledger row with labels (members, Party organization, instructor, standing) and the
    columns other apps registered (最近年检结论, 评估等级) as `extensions`, a list of
    (field, header, text). The ledger's figures in the ledger's constant number of queries."""
    from ..exports import display_labels, prepare_row

    rows = list(ledger_rows(Organization.objects.filter(pk=organization_id), as_of=as_of))
    if not rows:
        return None
    row = prepare_row(rows[0], *display_labels())
    row["extensions"] = [
        (extension.field, extension.header, row[extension.field]) for extension in LEDGER_EXTENSIONS
    ]
    return row
