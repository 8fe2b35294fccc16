"""The canonical form a record is hashed in: every field but the hash, as sorted, compact JSON.
It must read the same from the row a database returns as from the row being written, so the
time is UTC with microseconds and the details are stored exactly as they were serialized.

The hash is an HMAC under settings.AUDIT["CHAIN_KEY"]: a plain hash chain is recomputed by
anyone who rewrites the records from some point to the end, and then verifies as intact."""

import datetime
import functools
import hashlib
import hmac
import json
from json.encoder import c_make_encoder as _c_make_encoder  # None without the C accelerator
from json.encoder import encode_basestring as _encode_str

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder

try:
    from _hashlib import hmac_new as _hmac_new
except ImportError:  # a Python without OpenSSL
    _hmac_new = None

HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "user_id",
    "username",
    "action",
    "object_type",
    "object_id",
    "summary",
    "details",
    "ip_address",
    "history_content_type_id",
    "history_id",
    "previous_hash",
)


#: `json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`, the encoder
#: built once rather than once a record (a bulk append hashes 100,000).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_details(details) -> dict:
    """Dates, decimals and the like become the strings the JSON column will give back."""
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))


@functools.lru_cache(maxsize=16)  # a bulk append hashes many records of one moment
def canonical_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def record_hash(record) -> str:
    return values_hash({name: getattr(record, name) for name in HASHED_FIELDS})


def values_hash(values: dict) -> str:
    """The hash of a record given as a dict of `HASHED_FIELDS` (bulk appends build no model
    instance)."""
    values = dict(values, occurred_at=canonical_time(values["occurred_at"]))
    text = _CANONICAL.encode(values)
    # hmac.digest: the same HMAC in one call to OpenSSL (a bulk append hashes 100,000 records;
    # hmac.new builds two hash objects in Python for each).
    return hmac.digest(chain_key(), text.encode("utf-8"), hashlib.sha256).hex()


def values_hasher():
    """`values_hash` for the many records of one bulk append, under the key it starts with: the
    same text and HMAC, at about two thirds of the cost (a ledger import hashes 100,000 records).
    The text comes from the C encoder `_CANONICAL.encode` itself uses, built once instead of once
    a record, and without its circular-reference marks (a bulk append's values are flat, or
    details read back from JSON); the HMAC from a keyed state copied for each record rather than
    keyed again. Without the C encoder (another Python), it is `values_hash` itself."""
    if _c_make_encoder is None or _hmac_new is None:
        return values_hash
    encode = _c_make_encoder(
        None, _CANONICAL.default, _encode_str, None, ":", ",", True, False, True
    )
    keyed = _hmac_new(chain_key(), digestmod="sha256")
    join = "".join

    def hasher(values: dict) -> str:
        values = dict(values, occurred_at=canonical_time(values["occurred_at"]))
        state = keyed.copy()
        state.update(join(encode(values, 0)).encode("utf-8"))
        return state.hexdigest()

    return hasher


def chain_key() -> bytes:
    key = settings.AUDIT.get("CHAIN_KEY") or ""
    if not key:
        raise ImproperlyConfigured("settings.AUDIT['CHAIN_KEY'] (DJANGO_AUDIT_CHAIN_KEY) is empty")
    return key.encode("utf-8")
