"""Bulk writes for the scale data: COPY on PostgreSQL, executemany on SQLite.

Rows are tuples in the order of `columns`, primary keys included, so related rows can point at
each other without reading anything back. Values are plain Python (str, int, bool, date,
datetime, None); JSON columns get their text. Model save(), signals and history are bypassed on
purpose: that is what makes a million rows take minutes."""

import datetime
import time
from collections import defaultdict

from django.db import connection


class TableWriter:
    """Buffers rows per table and flushes them in batches; keeps the time spent per table."""

    def __init__(self, batch_size: int = 20_000):
        self.batch_size = batch_size
        self.postgres = connection.vendor == "postgresql"
        self.buffers: dict[str, list[tuple]] = defaultdict(list)
        self.columns: dict[str, tuple[str, ...]] = {}
        self.seconds: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, model, columns: tuple[str, ...], row: tuple) -> None:
        table = model._meta.db_table
        self.columns.setdefault(table, columns)
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= self.batch_size:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.buffers):
            rows = self.buffers[name]
            if not rows:
                continue
            started = time.perf_counter()
            if self.postgres:
                _copy(name, self.columns[name], rows)
            else:
                _insert(name, self.columns[name], rows)
            self.seconds[name] += time.perf_counter() - started
            self.counts[name] += len(rows)
            rows.clear()


def _copy(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    raw = connection.cursor().connection  # the psycopg 3 connection
    names = ", ".join(f'"{column}"' for column in columns)
    with raw.cursor() as cursor:
        with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)


def _sqlite_value(value):
    # What Django's SQLite backend stores: ISO text for dates, naive UTC text for datetimes.
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    names = ", ".join(f'"{column}"' for column in columns)
    marks = ", ".join("?" for _ in columns)
    cursor = connection.cursor().connection.cursor()  # the sqlite3 cursor: no per-row wrapping
    try:
        cursor.executemany(
            f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
            [tuple(_sqlite_value(value) for value in row) for row in rows],
        )
    finally:
        cursor.close()


def next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def reset_sequences(models) -> None:
    """After COPY with explicit ids, the next Django insert must not reuse one (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "
                f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 1))'
            )


def analyze(rewritten=()) -> None:
    """Planner statistics for the new rows (PostgreSQL would wait for autovacuum otherwise).
    On PostgreSQL the tables of the models `rewritten` (rows updated over and over: the
    aggregates' rows move with every chunk of the standings' refresh) are vacuumed first, as
    autovacuum would do on a server that runs it: a test server without it kept ten dead
    versions of every aggregate row, and the dashboard read them."""
    with connection.cursor() as cursor:
        # VACUUM cannot run in a transaction (a test's): there the tables are small anyway.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            for model in rewritten:
                cursor.execute(f'VACUUM "{model._meta.db_table}"')
        cursor.execute("ANALYZE")
