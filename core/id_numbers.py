"""Resident ID numbers at rest (issue 8, MLPS 2.0 level 3): encrypted, and found by a keyed hash.

The database holds a Fernet token (AES-128-CBC + HMAC-SHA256) of each number, never the number,
so a stolen backup or a read-only SQL account shows no ID numbers. Fernet tokens differ every
time, so equality is answered by a keyed digest (HMAC-SHA256) stored beside it: unique
constraints and look-ups use the digest, and without the hash key the digest cannot be checked
against a guessed number.

Keys come from settings.ID_NUMBERS (env DJANGO_ID_NUMBER_KEYS, DJANGO_ID_NUMBER_HASH_KEY,
DJANGO_ID_NUMBER_OLD_HASH_KEYS). Several encryption keys make rotation possible: the first
encrypts, every one decrypts; `manage.py rotate_id_number_keys` rewrites the stored numbers
under the first key and the digests under the current hash key.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext

from .identity import normalize_id_number

#: Length of a stored token for an 18-character number, with room to spare.
TOKEN_MAX_LENGTH = 200
DIGEST_LENGTH = 64
REWRITE_CHUNK = 2000


class IdNumberKeyError(ImproperlyConfigured):
    """The keys are missing or malformed, or a stored number was written under another key."""


def _configuration() -> dict:
    return getattr(settings, "ID_NUMBERS", None) or {}


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = _configuration().get("ENCRYPTION_KEYS") or []
    if not keys:
        raise IdNumberKeyError(
            gettext(
                "No key encrypts resident ID numbers: set the environment variable "
                "DJANGO_ID_NUMBER_KEYS (Fernet keys separated by commas, the first encrypts)."
            )
        )
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError):
            raise IdNumberKeyError(
                gettext(
                    "Key %(position)s of DJANGO_ID_NUMBER_KEYS is not a Fernet key (32 bytes in "
                    "URL-safe Base64, 44 characters)."
                )
                % {"position": position}
            ) from None
    return MultiFernet(fernets)


def _hash_keys() -> list[bytes]:
    """The current hash key first, then the old ones still accepted during a rotation."""
    configuration = _configuration()
    key = configuration.get("HASH_KEY") or ""
    if len(key) < 32:
        raise IdNumberKeyError(
            gettext(
                "No key finds resident ID numbers: set the environment variable "
                "DJANGO_ID_NUMBER_HASH_KEY to a random string of at least 32 characters."
            )
        )
    return [k.encode() for k in [key, *configuration.get("OLD_HASH_KEYS", [])] if k]


@receiver(setting_changed, dispatch_uid="core.id_numbers.reset")
def _reset(*, setting, **kwargs):
    if setting == "ID_NUMBERS":
        _fernet.cache_clear()


def configuration_errors() -> list[str]:
    """What is wrong with the configured keys; empty when they work."""
    errors = []
    for check in (_fernet, _hash_keys):
        try:
            check()
        except IdNumberKeyError as error:
            errors.append(str(error))
    return errors


@checks.register(checks.Tags.security)
def check_id_number_keys(app_configs=None, **kwargs):
    return [
        checks.Error(
            message, id="registry.E001", hint=gettext("README: rotating the ID-number keys")
        )
        for message in configuration_errors()
    ]


def encrypt_id_number(number: str) -> str:
    return _fernet().encrypt(number.encode()).decode()


def decrypt_id_number(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise IdNumberKeyError(
            gettext(
                "A stored resident ID number cannot be decrypted: DJANGO_ID_NUMBER_KEYS lacks the "
                "key it was encrypted with (while keys are rotated, the old keys stay at the end "
                "of the list until rotate_id_number_keys has run)."
            )
        ) from None


def _digest(number: str, key: bytes) -> str:
    return hmac.new(key, normalize_id_number(number).encode(), hashlib.sha256).hexdigest()


def id_number_digest(number: str) -> str:
    """The keyed hash of a number under the current hash key: what constraints and look-ups use."""
    return _digest(number, _hash_keys()[0])


def id_number_digests(number: str) -> list[str]:
    """Its digests under the current and the old hash keys, to find rows not yet rotated."""
    return [_digest(number, key) for key in _hash_keys()]


def rewrite_table(connection, table: str, transform) -> int:
    """Rewrite every row's number and digest in `table`: `transform(stored)` gives the new column
    value and the plain number (for the digest). In chunks by primary key, so that memory stays
    flat on a province's members; used by the migrations and by rotate_id_number_keys."""
    quote = connection.ops.quote_name
    select = (
        f"SELECT id, id_number FROM {quote(table)} WHERE id > %s ORDER BY id LIMIT {REWRITE_CHUNK}"
    )
    update = f"UPDATE {quote(table)} SET id_number = %s, id_number_digest = %s WHERE id = %s"
    last, count = 0, 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last])
            rows = cursor.fetchall()
            if not rows:
                return count
            changes = []
            for pk, stored in rows:
                value, number = transform(stored) if stored else (stored, "")
                changes.append([value, id_number_digest(number) if number else "", pk])
            cursor.executemany(update, changes)
            last, count = rows[-1][0], count + len(rows)


def encrypt_plain(stored: str) -> tuple[str, str]:
    return encrypt_id_number(stored), stored


def decrypt_to_plain(stored: str) -> tuple[str, str]:
    number = decrypt_id_number(stored)
    return number, number


def reencrypt(stored: str) -> tuple[str, str]:
    number = decrypt_id_number(stored)
    return encrypt_id_number(number), number


def encrypted_tables() -> list[str]:
    """Every table holding encrypted ID numbers (the models with an EncryptedIdNumberField)."""
    from django.apps import apps

    from .fields import EncryptedIdNumberField

    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if any(isinstance(f, EncryptedIdNumberField) for f in model._meta.local_concrete_fields)
    )


def id_numbers_rotate(connection) -> dict[str, int]:
    """Re-encrypt every stored number under the first key and recompute every digest under the
    current hash key, all tables in the caller's transaction; the rows rewritten per table."""
    return {table: rewrite_table(connection, table, reencrypt) for table in encrypted_tables()}
