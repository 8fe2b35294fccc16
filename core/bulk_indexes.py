"""A first-day bulk load on SQLite: the tables' secondary non-unique indexes dropped before the
inserts and built again, from the same SQL, before the commit.

Inserting 100,000 rows into a table with a dozen indexes costs SQLite a dozen B-tree insertions
per row, in random key order; building an index once over the loaded table is a sort, several
times cheaper. Only worth it when the table is (nearly) empty compared with what the load brings,
and only on SQLite: its DDL is transactional (a rolled-back load restores the indexes with
everything else) and a writer locks the whole database anyway, whereas on PostgreSQL DROP INDEX
would lock the readers out of the table until the commit.

Unique indexes, the primary key's and the constraints' automatic ones (`sqlite_autoindex_*`,
which have no SQL) stay: they are what refuses a duplicate during the load. The definitions are
read from `sqlite_master`, so what is built again is exactly what the migrations made."""

from __future__ import annotations

import re
from contextlib import contextmanager

from django.db import connection

_UNIQUE = re.compile(r"^\s*CREATE\s+UNIQUE\s", re.IGNORECASE)


def secondary_indexes(tables) -> list[tuple[str, str]]:
    """(name, SQL) of the non-unique indexes the migrations made on `tables` (SQLite)."""
    tables = list(tables)
    if not tables:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join(['%s'] * len(tables))}) ORDER BY tbl_name, name",
            tables,
        )
        return [(name, sql) for name, sql in cursor.fetchall() if not _UNIQUE.match(sql)]


@contextmanager
def indexes_built_after(tables, *, when: bool = True):
    """Within the caller's transaction: drop the non-unique indexes of `tables` (SQLite only,
    and only `when`), run the block, then create them again with their own SQL. When the block
    raises, nothing is created here: the caller's rollback restores the indexes, as SQLite's
    DDL is part of the transaction."""
    if not when or connection.vendor != "sqlite":
        yield
        return
    assert connection.in_atomic_block, "the indexes are dropped inside the load's transaction"
    dropped = secondary_indexes(tables)
    with connection.cursor() as cursor:
        for name, _sql in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for _name, sql in dropped:
            cursor.execute(sql)
