"""Export kinds: what an app can export in the background, registered by name.

A kind knows who may use it, how many rows a request would give (`up_to` a cap, so the
request only learns whether it is past the threshold, whatever the table's size; the worker
counts in full for the progress bar), how to write the workbook from stored parameters and a
user, and the file's name. The ledger registers itself in partybuilding.export_views."""

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: str
    permitted: Callable  # (user) -> bool
    count: Callable  # (*, user, params, up_to=None) -> int, at most up_to
    write: Callable  # (target, *, user, params, progress) -> int
    filename: Callable  # (params) -> str


_KINDS: dict[str, ExportKind] = {}


def register_export_kind(name: str, *, label, permitted, count, write, filename) -> ExportKind:
    """Register (or replace, so a re-import is harmless) the export kind `name`."""
    kind = ExportKind(name, label, permitted, count, write, filename)
    _KINDS[name] = kind
    return kind


def unregister_export_kind(name: str) -> None:
    _KINDS.pop(name, None)


def export_kind(name: str) -> ExportKind:
    """The kind registered as `name`; KeyError if no app registered it."""
    return _KINDS[name]


def export_kinds() -> dict[str, ExportKind]:
    return dict(_KINDS)
