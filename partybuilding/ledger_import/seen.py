"""The keys (credit codes, ID numbers) the ledger import has already read, with their rows.

Kept in a temporary table of the import's own transaction rather than in a dict, so that memory
stays flat however long the file: finding a duplicate across batches, or a credit code of the
file's organizations sheet named on the members sheet, costs one query per batch."""

from __future__ import annotations

from django.db import connection

from core.bulk_sql import insert_rows

TABLE = "partybuilding_import_seen"
LOOKUP_CHUNK = 900  # under SQLite's oldest limit of 999 parameters a statement


class SeenKeys:
    """Create inside the import's transaction; the table goes with it (DDL is transactional on
    SQLite and PostgreSQL), and `drop()` removes it from the session when the import ends."""

    def __init__(self):
        quote = connection.ops.quote_name
        self.table = quote(TABLE)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} "
                "(seen_kind char(1) NOT NULL, seen_key text NOT NULL, seen_line integer NOT NULL, "
                "PRIMARY KEY (seen_kind, seen_key))"
            )

    def rows(self, kind: str, keys) -> dict[str, int]:
        """The row where each of `keys` was first read, for those already read."""
        keys = sorted(keys)
        found = {}
        with connection.cursor() as cursor:
            for start in range(0, len(keys), LOOKUP_CHUNK):
                chunk = keys[start : start + LOOKUP_CHUNK]
                cursor.execute(
                    f"SELECT seen_key, seen_line FROM {self.table} "
                    f"WHERE seen_kind = %s AND seen_key IN ({', '.join(['%s'] * len(chunk))})",
                    [kind, *chunk],
                )
                found.update(cursor.fetchall())
        return found

    def add(self, kind: str, rows: dict[str, int]) -> None:
        if rows:
            columns = ["seen_kind", "seen_key", "seen_line"]
            insert_rows(TABLE, columns, [[kind, key, line] for key, line in rows.items()])

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
