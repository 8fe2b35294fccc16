"""Keyset pagination for the department API (R-API-6): every list is read in primary-key order
from just after the last row of the previous page, `limit + 1` rows at a time (the extra row
says whether there is a next page). No OFFSET, no COUNT: a page of a million organizations
costs what the first page costs. The cursor is opaque to callers (base64 of the last key)."""

import base64
import binascii

CURSOR_TAG = "k1:"


class CursorError(ValueError):
    """The cursor is not one this API handed out."""


def cursor_encode(pk: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_TAG}{pk}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str | None) -> int:
    """The key the page starts after (0 for the first page)."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise CursorError from error
    if not text.startswith(CURSOR_TAG) or not text[len(CURSOR_TAG) :].isdigit():
        raise CursorError
    value = int(text[len(CURSOR_TAG) :])
    if value > 2**63 - 1:
        raise CursorError
    return value


def keyset_page(queryset, *, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """(the rows of the page, the cursor of the next page or None). One query."""
    after = cursor_decode(cursor)
    rows = list(queryset.filter(pk__gt=after).order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, cursor_encode(rows[-1].pk) if more and rows else None
