"""Bulk writes around the ORM: one COPY or executemany per table and batch, history rows too.

The machinery under the domain apps' bulk-write services (`audit.bulk.BulkWrite` and the
services built on it); nothing here knows a model of the project. Django's `bulk_create` /
`bulk_update` and simple_history's `bulk_*_with_history` were measured in the ledger import's
profile (SQLite): 42 % of its time went into them, preparing every value through the field
machinery and building the history rows; written as below, under 10 %. On PostgreSQL,
executemany INSERTs also waited on the server about four times longer than COPY. The rows handed
here are already checked and normalized by the caller, so they go to the database as they are:
plain parameters, dates and datetimes adapted by the backend's own functions. `history` gives
every written row its history row (created "+" or changed "~", with the author), as save()
would; `update` moves the optimistic-locking `version` on (core.concurrency). No signals are
sent: the services above send their own "changed in bulk" signal instead."""

from __future__ import annotations

import json
from operator import attrgetter

from django.db import connection
from django.utils import timezone

from .fields import EncryptedIdNumberField, IdNumberDigestField

#: Rows per statement; executemany sends them in one round trip on PostgreSQL (pipeline).
CHUNK = 1000
#: Keys read back per statement, under SQLite's oldest limit of 999 parameters.
READ_CHUNK = 900


def _remembering(adapt):
    """`adapt`, remembering its last answer: the created/modified stamps and the history date
    are one datetime object for every row of a batch, adapted once instead of per row."""
    last = [object(), None]

    def adapted(value):
        if value is not last[0]:
            last[0], last[1] = value, adapt(value)
        return last[1]

    return adapted


def _adapters(fields):
    ops = connection.ops
    adapt = {
        "DateField": ops.adapt_datefield_value,
        "DateTimeField": _remembering(ops.adapt_datetimefield_value),
    }
    return [
        # ID numbers go in encrypted (core.fields.EncryptedIdNumberField), as save() would.
        field.get_prep_value
        if isinstance(field, EncryptedIdNumberField)
        else adapt.get(field.get_internal_type())
        for field in fields
    ]


def _fill_digests(fields, instances) -> None:
    """The digest beside each encrypted number, computed as save() would (pre_save)."""
    for field in fields:
        if isinstance(field, IdNumberDigestField):
            for instance in instances:
                field.pre_save(instance, add=instance._state.adding)


def _row_reader(fields, adapters, *, relations: bool = True):
    """A function giving an instance's row of `fields`, adapted: every attribute read at once
    (`attrgetter`, in C), then only the values that need more (a date to adapt, a related object
    cached before it had a key) looked at again. Per row, this ran for every field of 100,000
    rows an import writes twice (the row, its history row)."""
    names = [field.attname for field in fields]
    read = attrgetter(*names) if len(names) > 1 else (lambda i, get=attrgetter(*names): (get(i),))
    adapted = [(n, a) for n, a in enumerate(adapters) if a]
    relations = [(n, f) for n, f in enumerate(fields) if f.is_relation] if relations else []

    def row(instance) -> list:
        values = list(read(instance))
        for position, field in relations:
            if values[position] is None and field.is_cached(instance):
                # A unit or street created earlier in the batch: assigned before it had a key.
                related = field.get_cached_value(instance)
                value = related.pk if related is not None else None
                setattr(instance, field.attname, value)
                values[position] = value
        for position, adapter in adapted:
            if values[position] is not None:
                values[position] = adapter(values[position])
        return values

    return row


def _executemany(sql: str, rows: list) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])


def insert_rows(table: str, columns: list[str], rows: list) -> None:
    """Many rows into one table: COPY on PostgreSQL (the server's fastest way in, several times
    faster than row-by-row INSERTs), executemany elsewhere."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    if connection.vendor == "postgresql":
        # The raw cursor's errors become Django's (IntegrityError …), as through execute().
        with connection.cursor() as cursor, connection.wrap_database_errors:
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    _executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})", rows)


def insert(model, instances, *, key: tuple[str, ...]) -> None:
    """INSERT the new `instances` and set their primary keys, read back by their unique `key`
    (one field or several)."""
    if not instances:
        return
    now = timezone.now()
    fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for instance in instances:
                setattr(instance, field.attname, now)
    _fill_digests(fields, instances)
    adapters = _adapters(fields)
    insert_rows(
        model._meta.db_table,
        [field.column for field in fields],
        list(map(_row_reader(fields, adapters), instances)),
    )
    by_key = {tuple(getattr(i, name) for name in key): i for i in instances}
    if len(key) == 1:
        stored = read_keys(model, key[0], [value for (value,) in by_key])
    else:
        stored = model._base_manager.filter(
            **{f"{name}__in": {value[n] for value in by_key} for n, name in enumerate(key)}
        ).values_list(*key, "pk")
    for *value, pk in stored:
        instance = by_key.get(tuple(value))
        if instance is not None:  # a row of another district may share a street's name
            instance.pk = pk
            instance._state.adding = False


def read_keys(model, name: str, values: list) -> list:
    """(value, pk) of the stored rows whose unique field `name` is one of `values` (the rows
    just inserted), in statements of `READ_CHUNK`: the values are the ones just written, so
    they need none of the ORM's per-value preparation of an `__in` lookup."""
    meta = model._meta
    quote = connection.ops.quote_name
    column = quote(meta.get_field(name).column)
    found = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), READ_CHUNK):
            chunk = values[start : start + READ_CHUNK]
            cursor.execute(
                f"SELECT {column}, {quote(meta.pk.column)} FROM {quote(meta.db_table)} "
                f"WHERE {column} IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            found += cursor.fetchall()
    return found


def update(model, instances, field_names) -> None:
    """UPDATE the `field_names` of stored `instances` (and any auto_now field)."""
    if not instances:
        return
    now = timezone.now()
    meta = model._meta
    fields = [meta.get_field(name) for name in sorted(field_names)]
    for field in meta.local_concrete_fields:
        if getattr(field, "auto_now", False) and field not in fields:
            fields.append(field)
        if isinstance(field, IdNumberDigestField) and field.source in field_names:
            fields.append(field)
    _fill_digests(fields, instances)
    for field in fields:
        if getattr(field, "auto_now", False):
            for instance in instances:
                setattr(instance, field.attname, now)
    quote = connection.ops.quote_name
    assignments = [f"{quote(f.column)} = %s" for f in fields]
    if any(f.name == "version" for f in meta.concrete_fields) and "version" not in field_names:
        # Optimistic locking (core.concurrency): pages opened before the bulk write go stale.
        assignments.append(f"{quote('version')} = {quote('version')} + 1")
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table), ", ".join(assignments), quote(meta.pk.column)
    )
    adapters = _adapters(fields)
    row = _row_reader(fields, adapters)
    _executemany(sql, [[*row(i), i.pk] for i in instances])


def history(model, instances, *, history_type: str, by):
    """One history row per instance, as simple_history writes on save() ("+" or "~"). Returns
    their common `history_date` (None when there were none), by which the caller finds them
    again for the audit log (`audit.bulk`)."""
    if not instances:
        return None
    history_model = model.history.model
    fields = [f for f in history_model._meta.local_concrete_fields if not f.primary_key]
    stamp = timezone.now()
    own = {
        "history_date": stamp,
        "history_type": history_type,
        "history_user_id": getattr(by, "pk", None),
        "history_change_reason": None,
    }
    adapters = _adapters(fields)
    # The row's own columns first, read from the instance; then the history's, the same for all.
    tracked = [(f, a) for f, a in zip(fields, adapters, strict=True) if f.attname not in own]
    stamped = [(f, a) for f, a in zip(fields, adapters, strict=True) if f.attname in own]
    fields = [f for f, _a in tracked] + [f for f, _a in stamped]
    template = [
        adapter(own[field.attname])
        if adapter and own[field.attname] is not None
        else own[field.attname]
        for field, adapter in stamped
    ]
    columns = [field.column for field in fields]
    if history_type == "+" and _copied_in_sql(model, [f for f, _a in tracked], instances):
        _history_copied(model, history_model, columns, len(tracked), template, instances)
        return stamp
    read = _row_reader([f for f, _a in tracked], [a for _f, a in tracked], relations=False)
    rows = [read(instance) + template for instance in instances]
    insert_rows(history_model._meta.db_table, columns, rows)
    return stamp


def _copied_in_sql(model, tracked, instances) -> bool:
    """Whether the history rows of new rows can be copied by SQLite from the rows just written
    (`_history_copied`): each tracked column is the row's own, none re-encrypted (an ID number
    is encrypted afresh for its history row), and the keys rise in the instances' order (as
    an insert gives them), the order the history rows are written in."""
    if connection.vendor != "sqlite":
        return False
    keys = [instance.pk for instance in instances]
    if None in keys or any(a >= b for a, b in zip(keys, keys[1:], strict=False)):
        return False
    own = {field.column for field in model._meta.local_concrete_fields}
    return all(
        field.column in own and not isinstance(field, EncryptedIdNumberField) for field in tracked
    )


def _history_copied(model, history_model, columns, width, template, instances) -> None:
    """The "+" history rows of the `instances` just inserted, copied by SQLite from their rows
    (one INSERT … SELECT: the values are the ones just written, as the rows read from the
    instances would be; no row goes through Python again), in the instances' order."""
    quote = connection.ops.quote_name
    pk = quote(model._meta.pk.column)
    selected = [f"{quote(column)}" for column in columns[:width]] + ["%s"] * len(template)
    sql = (
        f"INSERT INTO {quote(history_model._meta.db_table)} "
        f"({', '.join(quote(column) for column in columns)}) "
        f"SELECT {', '.join(selected)} FROM {quote(model._meta.db_table)} "
        f"WHERE {pk} IN (SELECT value FROM json_each(%s)) ORDER BY {pk}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(instances), CHUNK):
            chunk = instances[start : start + CHUNK]
            cursor.execute(sql, [*template, json.dumps([i.pk for i in chunk])])
