"""Writing, purging and verifying the audit log. `audit_record` is its only writer."""

import datetime
import ipaddress
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction
from .hashing import canonical_details, record_hash, values_hasher
from .models import GENESIS_HASH, AuditAnchor, AuditRecord

#: `AuditAction.values` builds a new list at each use; a bulk append checks every record.
_ACTIONS = frozenset(AuditAction.values)

# Cybersecurity Law art. 21: network logs are kept for no less than six months.
RETENTION_DAYS = 180
VERIFY_CHUNK_SIZE = 2000
# Any constant the application uses for no other advisory lock ("audit" in ASCII).
CHAIN_LOCK_KEY = 0x6175646974


def request_ip(request) -> str | None:
    """The address a request came from, as recorded in the log (None outside a request).
    Behind the bureau's reverse proxy REMOTE_ADDR is the proxy; the deployment sets it right."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _client_ip(ip_address) -> str | None:
    try:
        return str(ipaddress.ip_address(str(ip_address).strip())) if ip_address else None
    except ValueError:
        return None


def _chain_lock() -> None:
    """Hold the append lock until the caller's transaction ends. On PostgreSQL a transaction-
    level advisory lock: a row lock on the last record would not do, since a writer that waited
    for it is handed that same, no longer last, record and forks the chain (the concurrency
    test shows it). SQLite lets one writer at a time in already."""
    connection = connections[router.db_for_write(AuditRecord)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _chain_head() -> tuple[int, str]:
    """The last sequence number and hash, read under the append lock."""
    _chain_lock()
    last = AuditRecord.objects.order_by("-sequence").only("sequence", "hash").first()
    if last is not None:
        return last.sequence, last.hash
    # Empty log (new, or everything purged): the chain goes on from the latest anchor.
    anchor = AuditAnchor.objects.order_by("-last_sequence").first()
    if anchor is not None:
        return anchor.last_sequence, anchor.last_hash
    return 0, GENESIS_HASH


def audit_record(
    *,
    action: str,
    user=None,
    username: str = "",
    object_type: str = "",
    object_id="",
    summary: str = "",
    details: dict | None = None,
    ip_address: str | None = None,
    history_content_type=None,
    history_id: int | None = None,
) -> AuditRecord:
    """Append one record to the audit log (MLPS 2.0 security audit; issue 8).

    `action` is an `AuditAction`; `user` the acting user (or None; `username` is then the
    name that was typed, e.g. for a failed login); `object_type` "app_label.model" and
    `object_id` what was acted on; `summary` a sentence in Chinese; `details` JSON-able
    figures (an export: {"kind": …, "rows": …}). Exports and unmasked ID views call it as
    `audit_record(action=AuditAction.EXPORT, user=request.user, ip_address=…, …)`.
    Costs the append lock (PostgreSQL), one SELECT and one INSERT, in the caller's
    transaction."""
    if action not in _ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    # No savepoint: a record that cannot be written fails the caller's whole transaction
    # anyway, and a data change then costs no SAVEPOINT / RELEASE pair.
    with transaction.atomic(savepoint=False):
        return _append(
            action=action,
            user_id=getattr(user, "pk", None),
            username=_storable((user.get_username() if user is not None else username or "")[:150]),
            object_type=_storable(object_type[:100]),
            object_id=_storable(str(object_id if object_id is not None else "")[:64]),
            summary=_storable(str(summary)),
            details=canonical_details(_storable(details)),
            ip_address=_client_ip(ip_address),
            history_content_type_id=getattr(history_content_type, "pk", history_content_type),
            history_id=history_id,
        )


def _storable(value):
    """What a user typed is recorded as typed, except NUL, which PostgreSQL's text and jsonb
    cannot hold: it becomes U+FFFD (before hashing, so the hash matches the stored row)."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def _append(**fields) -> AuditRecord:
    sequence, previous_hash = _chain_head()
    record = AuditRecord(
        sequence=sequence + 1,
        occurred_at=timezone.now(),
        previous_hash=previous_hash,
        **fields,
    )
    record.hash = record_hash(record)
    record.save(force_insert=True)
    return record


#: Records per INSERT statement of a bulk append (executemany; one round trip on PostgreSQL).
BULK_CHUNK = 1000


def audit_record_many(records) -> int:
    """Append many records in order, as `audit_record` would one by one, at a bulk write's
    cost: one chain lock and head read, then the hashes computed here and the rows inserted by
    `BULK_CHUNK` per statement. `records` is an iterable (a generator keeps memory flat) of
    dicts with `audit_record`'s keyword arguments. Returns how many were written. In the
    caller's transaction; the chain lock (PostgreSQL) is held until it ends, so call it at the
    end of a long write rather than at its start."""
    connection = connections[router.db_for_write(AuditRecord)]
    meta = AuditRecord._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    prepare_fields = {
        field.attname
        for field in fields
        if field.get_internal_type() in {"DateTimeField", "JSONField", "GenericIPAddressField"}
    }
    count = 0
    prepared: dict = {}  # (field, value) → its database value: most values repeat

    def prepare(field, value):
        try:
            key = (field.attname, _hashable(value))
        except TypeError:  # details that are not flat: prepared each time
            return field.get_db_prep_value(value, connection, prepared=False)
        if key not in prepared:
            prepared[key] = field.get_db_prep_value(value, connection, prepared=False)
        return prepared[key]

    # Most fields go to the database as they are; the others, by their position.
    attnames = [field.attname for field in fields]
    to_prepare = [(n, f) for n, f in enumerate(fields) if f.attname in prepare_fields]
    last = {position: (_NOTHING, None) for position, _field in to_prepare}

    with transaction.atomic(using=connection.alias, savepoint=False):
        sequence, previous_hash = _chain_head()
        # One moment for the whole append: the records are written together, in one go.
        rows, cache = [], {"now": timezone.now()}
        hash_values = values_hasher()  # values_hash, its encoder and key prepared once
        for record in records:
            values = _bulk_values(record, sequence + 1, previous_hash, cache)
            values["hash"] = previous_hash = hash_values(values)
            sequence += 1
            row = [values[attname] for attname in attnames]
            for position, field in to_prepare:
                value = row[position]
                if value.__class__ in _IMMUTABLE and value is last[position][0]:
                    row[position] = last[position][1]  # the moment, the address: every record
                else:
                    row[position] = prepare(field, value)
                    last[position] = (value, row[position])
            rows.append(row)
            if len(rows) >= BULK_CHUNK:
                count += _insert(connection, sql, rows)
        count += _insert(connection, sql, rows)
    return count


#: Values the same object of which prepares the same, record after record.
_IMMUTABLE = (datetime.datetime, str, type(None))
_NOTHING = object()
_SCALARS = {str, int, bool, float, type(None)}


def _hashable(value):
    if value.__class__ is dict and {item.__class__ for item in value.values()} <= _SCALARS:
        # Flat details (most records'): (key, type, value) triples in one step instead of a
        # call per item.
        return tuple([(key, item.__class__, item) for key, item in value.items()])
    if isinstance(value, dict):
        return tuple((key, _hashable(item)) for key, item in value.items())
    if isinstance(value, list):
        raise TypeError("unhashable")
    hash(value)
    return (type(value), value)  # True and 1 are equal keys, but not equal JSON


def _insert(connection, sql: str, rows: list) -> int:
    if not rows:
        return 0
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    written = len(rows)
    rows.clear()
    return written


def _bulk_values(record: dict, sequence: int, previous_hash: str, cache: dict) -> dict:
    """A record's stored values, normalized exactly as `audit_record` does. `cache` keeps what
    repeats from record to record (the user's name, the address) across one bulk append."""
    action = record["action"]
    if action not in _ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    user = record.get("user")
    key = ("user", getattr(user, "pk", None), record.get("username"))
    if key not in cache:
        cache[key] = _storable(
            (user.get_username() if user is not None else record.get("username") or "")[:150]
        )
    address = record.get("ip_address")
    if ("ip", address) not in cache:
        cache["ip", address] = _client_ip(address)
    object_id = record.get("object_id", "")
    content_type = record.get("history_content_type")
    details = record.get("details")
    return {
        "sequence": sequence,
        "occurred_at": cache["now"],
        "user_id": getattr(user, "pk", None),
        "username": cache[key],
        "action": action,
        "object_type": _storable(record.get("object_type", "")[:100]),
        "object_id": _storable(str(object_id if object_id is not None else "")[:64]),
        "summary": _storable(str(record.get("summary", ""))),
        # Flat details of strings, numbers and booleans read back from JSON as they are.
        "details": details if _plain(details) else canonical_details(_storable(details)),
        "ip_address": cache["ip", address],
        "history_content_type_id": getattr(content_type, "pk", content_type),
        "history_id": record.get("history_id"),
        "previous_hash": previous_hash,
    }


def _plain(details) -> bool:
    return type(details) is dict and all(
        type(key) is str
        and "\x00" not in key
        and (
            value is None
            or type(value) in (int, bool)
            or (type(value) is str and "\x00" not in value)
        )
        for key, value in details.items()
    )


def purge_cutoff(today: datetime.date | None = None) -> datetime.date:
    """The latest `before` date a purge accepts: records younger than 180 days stay."""
    return (today or timezone.localdate()) - datetime.timedelta(days=RETENTION_DAYS)


@transaction.atomic
def audit_purge(*, before: datetime.date, by=None) -> int:
    """Remove the records that occurred before `before` (local time), never one younger than
    180 days (Cybersecurity Law art. 21). The last removed record's number and hash become the
    chain's new anchor, written in the same transaction, so the rest still verifies."""
    if before > purge_cutoff():
        raise ValidationError(
            _("Audit records younger than %(days)s days cannot be purged (before %(date)s)."),
            params={"days": RETENTION_DAYS, "date": purge_cutoff().isoformat()},
        )
    cutoff = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
    _chain_head()  # hold the append lock: the anchor must name the real last purged record
    last = (
        AuditRecord.objects.filter(occurred_at__lt=cutoff)
        .order_by("-sequence")
        .only("sequence", "hash")
        .first()
    )
    if last is None:
        return 0
    # Everything up to the last old record goes, so the remaining chain has no hole.
    doomed = AuditRecord.objects.filter(sequence__lte=last.sequence)
    count = doomed._raw_delete(doomed.db)
    AuditAnchor.objects.create(
        purged_before=before,
        last_sequence=last.sequence,
        last_hash=last.hash,
        purged_count=count,
        username=by.get_username() if by is not None else "",
    )
    return count


@dataclass(frozen=True)
class Verification:
    count: int
    problem: str = ""  # altered | removed | inserted
    sequence: int | None = None  # the first record found wrong (or, removed: the first missing)

    @property
    def ok(self) -> bool:
        return not self.problem


def audit_verify() -> Verification:
    """Walk the chain from the latest anchor (or the start), streaming: each record's hash must
    match its fields, its number follow the one before, its previous hash the one before's."""
    anchor = AuditAnchor.objects.order_by("-last_sequence").first()
    expected_sequence, previous_hash = (
        (anchor.last_sequence + 1, anchor.last_hash) if anchor else (1, GENESIS_HASH)
    )
    count = 0
    records = AuditRecord.objects.order_by("sequence").iterator(chunk_size=VERIFY_CHUNK_SIZE)
    for record in records:
        if record_hash(record) != record.hash:
            return Verification(count, "altered", record.sequence)
        if record.sequence > expected_sequence:
            return Verification(count, "removed", expected_sequence)
        if record.previous_hash != previous_hash:
            return Verification(count, "inserted", record.sequence)
        count += 1
        expected_sequence, previous_hash = record.sequence + 1, record.hash
    return Verification(count)


# The name an export from the command line is recorded under (it has no user).
COMMAND_USER = "manage.py"


def audit_export(
    *,
    user=None,
    username: str = "",
    kind: str,
    object_type: str,
    object_id="",
    what: str,
    rows: int,
    filters: dict | None = None,
    ip_address: str | None = None,
) -> AuditRecord:
    """Record one finished export: who, what and how many data rows (issue 8, every export).
    `user` None for a management command (`username` then says so, e.g. "manage.py"); the
    summary is stored in the site's language whatever the caller has active."""
    from django.conf import settings
    from django.utils import translation

    who = user.get_username() if user is not None else username
    with translation.override(settings.LANGUAGE_CODE):
        summary = str(
            _("%(who)s exported %(what)s (%(rows)s rows)")
            % {"who": who, "what": what, "rows": rows}
        )
    return audit_record(
        action=AuditAction.EXPORT,
        user=user,
        username=username,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        details={"kind": kind, "rows": rows, "filters": filters or {}},
        ip_address=ip_address,
    )
