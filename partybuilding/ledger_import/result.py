"""What a ledger import did, or found wrong: the result the command and the upload page show."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # as Excel shows it: 1-based, title rows counted
    column: str  # the header, or "" for the whole row
    message: str

    def __str__(self) -> str:
        place = {"row": self.row, "sheet": self.sheet, "column": self.column}
        where = (
            _("Row %(row)s (%(sheet)s) “%(column)s”") % place
            if self.column
            else _("Row %(row)s (%(sheet)s)") % place
        )
        return _("%(where)s: %(message)s") % {"where": where, "message": self.message}


@dataclass
class ImportResult:
    """What the import did (or, for a dry run, would do). Nothing is written when `errors`."""

    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    members_created: int = 0
    members_updated: int = 0
    members_unchanged: int = 0
    supervisory_units_created: int = 0
    streets_created: int = 0
    dry_run: bool = False
    rows: int = 0  # rows read (organizations and members), blank lines not counted
    seconds: float = 0.0  # the whole import, reading included
    truncated: bool = False  # reading stopped at MAX_ERRORS errors

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def counts(self) -> str:
        """What was (or, for a dry run, would be) created, updated and left unchanged."""
        numbers = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "members_created": self.members_created,
            "members_updated": self.members_updated,
            "members_unchanged": self.members_unchanged,
            "units": self.supervisory_units_created,
            "streets": self.streets_created,
        }
        if self.dry_run:
            text = _(
                "would create %(created)s organizations, update %(updated)s, leave %(unchanged)s "
                "unchanged; would create %(members_created)s Party members, update "
                "%(members_updated)s, leave %(members_unchanged)s unchanged"
            )
            added = _("; would add %(units)s supervisory units and %(streets)s streets")
        else:
            text = _(
                "created %(created)s organizations, updated %(updated)s, %(unchanged)s "
                "unchanged; created %(members_created)s Party members, updated "
                "%(members_updated)s, %(members_unchanged)s unchanged"
            )
            added = _("; added %(units)s supervisory units and %(streets)s streets")
        if self.supervisory_units_created or self.streets_created:
            text += added
        return text % numbers

    def summary(self) -> str:
        if self.dry_run:
            return _("Dry run done, nothing written: %(counts)s.") % {"counts": self.counts()}
        return _("Import done: %(counts)s.") % {"counts": self.counts()}

    def timing(self) -> str:
        return _("Read %(rows)s rows in %(seconds)s seconds (%(rate)s rows a second).") % {
            "rows": self.rows,
            "seconds": f"{self.seconds:.1f}",
            "rate": f"{self.rows_per_second:.0f}",
        }

    def report(self) -> str:
        """The summary when all went well, otherwise one line per error."""
        if self.ok:
            return self.summary()
        count = {"count": len(self.errors)}
        if self.truncated:
            found = _("at least %(count)s errors (only the first %(count)s listed)") % count
        else:
            found = _("%(count)s errors") % count
        if self.dry_run:
            head = _(
                "Dry run failed: found %(found)s; nothing was written. Correct the file and "
                "import it again."
            )
        else:
            head = _(
                "Import failed: found %(found)s; nothing was written. Correct the file and "
                "import it again."
            )
        return "\n".join([head % {"found": found}, *(str(error) for error in self.errors)])


class Plan:
    """A valid row, ready to write: `values` are all fields of a new row, or the changed ones."""

    __slots__ = ("sheet", "row", "instance", "existing", "values")

    def __init__(self, sheet, row: int, instance, existing, values: dict):
        self.sheet, self.row, self.instance = sheet, row, instance
        self.existing, self.values = existing, values
