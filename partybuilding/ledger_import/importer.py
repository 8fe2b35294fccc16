"""Import the Party-building ledger (台账) from an Excel workbook: the reverse of `exports`.

The import reads back the registry columns of the ledger (`Column.basic`) and, optionally, a sheet
of Party members, and creates or updates organizations by credit code (R-ID-1) and members by ID
number (R-ID-2). It is all or nothing: a single error anywhere means nothing is written. No HTTP
here; the management command and the upload view call `import_ledger`.

It streams, so that a province's ledger (100,000 rows and more) imports in flat memory: the archive
is checked first (`archive`), the sheets are streamed by `reader` (`core.xlsx_reader`, a megabyte
of XML at a time) and handed over row by row, checked in batches of `BATCH_SIZE` rows (`rows`: one
query for the batch's stored rows, reference data fetched once, the models' own rules), and each
valid batch is written at once through the bulk-write services (`registry.services.bulk`,
`partybuilding.bulk`: the fast SQL, history rows, versions, audit records, and the "changed in
bulk" signals that refresh the Party-building figures), all inside ONE transaction that is rolled
back at the end when any row anywhere had an error, and for a dry run. The credit codes and ID
numbers already read, to find duplicates, wait in a temporary table (`seen`), not in memory.
A large sheet of a workbook given by its path is read by a spawned child process while this one
checks and writes (`Sheet.batches`, `core.xlsx_read_ahead`).
A first day's import on SQLite (a large sheet, a nearly empty registry) builds the tables'
secondary indexes after the rows (`core.bulk_indexes`)."""

from __future__ import annotations

import os
import time
from contextlib import closing

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from audit.models import AuditRecord
from core.bulk_indexes import indexes_built_after
from core.bulk_jobs import startup_objects_frozen
from core.bulk_sql import read_keys
from core.id_numbers import id_number_digest
from core.identity import normalize_id_number
from core.xlsx_read_ahead import ReadAhead
from registry.credit_codes import normalize_credit_code
from registry.models import (
    District,
    Industry,
    Organization,
    Street,
    SupervisoryUnit,
    default_party_building_body_id,
)
from registry.services.bulk import OrganizationsBulkWrite

from ..bulk import PartyBulkWrite
from ..models import PartyMember, Standing
from .archive import COMMAND_LIMITS, ArchiveRefused, Limits, inspect_archive
from .audit import audit_import
from .cells import (
    MEMBER_HEADERS,
    ORGANIZATION_ERROR_HEADERS,
    ORGANIZATION_HEADERS,
    _halfwidth,
    _lookup_key,
    _messages,
    _text,
)
from .reader import LedgerImportError, Sheet, ledger_sheets
from .result import ImportResult, Plan, RowError
from .rows import RowChecks
from .seen import SeenKeys

#: Rows checked and written together; also the size of the one lookup query per batch, well
#: under SQLite's and PostgreSQL's parameter limits.
BATCH_SIZE = 1000
#: A sheet of at least this many rows (per the archive checks), in a workbook of at least this
#: many bytes given by its path (the command; an upload is a file object), is read by a spawned
#: child process while this one checks and writes (`Sheet.batches`, `core.xlsx_read_ahead`);
#: below, the child's start-up costs more than it saves. The ledger takes about 140 bytes a row.
READ_AHEAD_ROWS = 5_000
READ_AHEAD_BYTES = 500_000
#: A first-day load: when the registry holds fewer organizations than this share of the sheet's
#: rows, the tables it fills have their secondary indexes built after the rows (SQLite only).
FIRST_DAY_SHARE = 0.1
#: … and when the sheet has at least this many rows: below, building the indexes again costs
#: about what it saves.
FIRST_DAY_ROWS = 10_000
#: Past this many errors the file is not read further: the report is long enough to act on.
MAX_ERRORS = 1000
CONFLICT = _(
    "Writing clashed with data in the system (someone may have changed the same record at the "
    "same time); import again."
)


def import_ledger(
    source,
    *,
    by=None,
    dry_run: bool = False,
    file_name: str | None = None,
    ip_address=None,
    limits: Limits = COMMAND_LIMITS,
) -> ImportResult:
    """Create or update organizations (by credit code, R-ID-1) and Party members (by ID number,
    R-ID-2) from a ledger workbook at `source` (a path or a binary file object).

    Any error means nothing is written (`result.errors` says where). `dry_run` checks and
    writes everything, then rolls back, so it reports exactly what the import would do.
    `result.rows` and `result.seconds` give the speed. Raises `LedgerImportError` when the file
    is not a readable workbook with a ledger header, or is refused by the archive checks
    (`archive`: sizes, compression ratio, entities, Excel's row limit; `limits` are the
    command's by default, the upload page passes its own), which run before any reader opens
    it. A written import is recorded in the audit log (`audit`), with
    `file_name` (by default the path's or the file object's name) and `ip_address`."""
    started = time.perf_counter()
    if file_name is None:
        file_name = _file_name(source)
    importer = _Importer(by=by, dry_run=dry_run, file_name=file_name, ip_address=ip_address)
    handle = _open(source)
    if handle is not source and os.fstat(handle.fileno()).st_size >= READ_AHEAD_BYTES:
        # Started now, its start-up behind the archive checks; asked for a sheet after them.
        importer.ahead = ReadAhead()
        importer.path, importer.handle = os.fspath(source), handle
    try:
        try:
            facts = inspect_archive(handle, limits)
        except ArchiveRefused as refusal:
            raise LedgerImportError(str(refusal)) from None
        importer.epoch = CALENDAR_MAC_1904 if facts.date1904 else CALENDAR_WINDOWS_1900
        with ledger_sheets(handle) as (organization_sheet, member_sheets):
            importer.rows_of = facts.rows
            if organization_sheet is not None:
                importer.sheet_rows = facts.rows.get(organization_sheet.title, 0)
            with startup_objects_frozen():
                importer.run(organization_sheet, member_sheets)
    finally:
        if importer.ahead is not None:
            importer.ahead.close()
        if handle is not source:
            handle.close()
    importer.result.seconds = time.perf_counter() - started
    return importer.result


#: The tables a first-day import fills row for row, their secondary indexes built after the rows
#: (`indexes_built_after`): while the sheet is read, then while the figures and audit records
#: are written at the end.
ROW_TABLES = [model._meta.db_table for model in (Organization, Organization.history.model)]
FINISH_TABLES = [model._meta.db_table for model in (Standing, AuditRecord)]


def _file_name(source) -> str:
    name = source if isinstance(source, str | os.PathLike) else getattr(source, "name", "")
    return os.path.basename(os.fspath(name)) if isinstance(name, str | os.PathLike) else ""


def _open(source):
    if not isinstance(source, str | os.PathLike):
        return source
    # Opened here, not by the reader, so that the content decides and not the file's extension.
    try:
        return open(source, "rb")  # closed by import_ledger
    except FileNotFoundError:
        raise LedgerImportError(gettext("File “%(path)s” not found.") % {"path": source}) from None
    except OSError as error:
        raise LedgerImportError(
            gettext("Cannot read the file “%(path)s”: %(reason)s.")
            % {"path": source, "reason": error.strerror}
        ) from None


# --- the import -------------------------------------------------------------------------------


class _RolledBack(Exception):
    """Raised inside the import's transaction to undo it (an error, or a dry run)."""


class _Importer(RowChecks):
    def __init__(self, *, by, dry_run: bool, file_name: str = "", ip_address=None):
        self.by = by
        self.dry_run = dry_run
        self.file_name, self.ip_address = file_name, ip_address
        # The bulk writes of the registry's rows and of the Party members: their SQL, history
        # rows, versions, audit records and "changed in bulk" signals.
        self.organizations_write = OrganizationsBulkWrite(by=by, ip_address=ip_address)
        self.members_write = PartyBulkWrite(by=by, ip_address=ip_address)
        self.sheet_titles: dict[str, list[str]] = {}
        self.result = ImportResult(dry_run=dry_run)
        self.epoch = CALENDAR_WINDOWS_1900
        self.sheet_rows = 0  # of the organizations' sheet, from the archive checks
        self.rows_of: dict[str, int] = {}  # sheet title → its rows, from the archive checks
        # A large workbook given by its path: the child reading its sheets (`Sheet.batches`).
        self.ahead: ReadAhead | None = None
        self.path = self.handle = None
        # Credit code / ID number → the row it was first read on, for the batch being checked:
        # those of earlier batches come from `self.seen`, a table, so memory stays flat.
        self.organization_rows: dict[str, int] = {}
        self.member_rows: dict[str, int] = {}
        self.new_units: dict[str, SupervisoryUnit] = {}
        self.new_streets: dict[tuple[int, str], Street] = {}
        self.first_use: dict[int, tuple[Sheet, int, str]] = {}  # id(new unit/street) → where
        self.reported: set[RowError] = set()
        # Organizations the batch's members move away from: their figures change too.
        self.organizations_left: set[int] = set()

    def error(self, sheet: Sheet, row: int, column: str, message: str) -> None:
        error = RowError(sheet.title, row, column, str(message))
        if error not in self.reported:  # the model may repeat a check made here
            self.reported.add(error)
            self.result.errors.append(error)

    @property
    def full(self) -> bool:
        return len(self.result.errors) >= MAX_ERRORS

    def run(self, organization_sheet: Sheet | None, member_sheets: list[Sheet]) -> None:
        self.sheet_titles = {
            "organizations": [organization_sheet.title] if organization_sheet else [],
            "members": [sheet.title for sheet in member_sheets],
        }
        self._prefetch()
        result = self.result
        try:
            with transaction.atomic():
                first_day = self._first_day()
                self.seen = SeenKeys()
                work = [(sheet, self._member_batch) for sheet in member_sheets]
                if organization_sheet:
                    work.insert(0, (organization_sheet, self._organization_batch))
                # Built again before `_finish`, which reads the history rows back by date.
                with indexes_built_after(ROW_TABLES, when=first_day):
                    for sheet, check in work:
                        # Closed however the loop ends: a child reading the sheet is ended.
                        with closing(self._sheet_batches(sheet)) as batches:
                            for batch in batches:
                                result.rows += len(batch)
                                check(sheet, batch)
                                if self.full:
                                    result.truncated = True
                                    del result.errors[MAX_ERRORS:]
                                    raise _RolledBack
                self.seen.drop()
                if result.errors:
                    raise _RolledBack
                result.supervisory_units_created = len(self.new_units)
                result.streets_created = len(self.new_streets)
                with indexes_built_after(FINISH_TABLES, when=first_day):
                    self._finish()
                if self.dry_run:
                    raise _RolledBack
        except _RolledBack:
            pass
        if result.errors:  # nothing is written, so nothing is counted (a dry run says the same)
            result.created = result.updated = result.unchanged = 0
            result.members_created = result.members_updated = result.members_unchanged = 0
            result.supervisory_units_created = result.streets_created = 0

    def _sheet_batches(self, sheet: Sheet):
        if self.ahead is not None and self.rows_of.get(sheet.title, 0) >= READ_AHEAD_ROWS:
            return sheet.batches(BATCH_SIZE, ahead=self.ahead, path=self.path, handle=self.handle)
        return sheet.batches(BATCH_SIZE)

    def _first_day(self) -> bool:
        """Whether the sheet brings many more organizations than the registry holds."""
        if self.sheet_rows < FIRST_DAY_ROWS:
            return False
        limit = max(1, int(self.sheet_rows * FIRST_DAY_SHARE))
        return not Organization.objects.all()[limit - 1 : limit].exists()

    def _finish(self) -> None:
        """The bulk writes' signals, which refresh the Party-building figures of every
        organization written or whose members were, once each; then (not for a dry run) the
        import's own audit record and the writes' per-row records naming it, last: the audit
        chain's lock is held from the first record to the commit."""
        self.members_write.finish(
            audit=False, refreshed_elsewhere=self.organizations_write.organization_ids
        )
        self.organizations_write.finish(audit=False)
        if self.dry_run:
            return
        link = audit_import(
            result=self.result,
            by=self.by,
            file_name=self.file_name,
            ip_address=self.ip_address,
            sheets=self.sheet_titles,
        )
        self.organizations_write.record_changes(link)
        self.members_write.record_changes(link)

    def _prefetch(self) -> None:
        """Reference data in a fixed number of queries, whatever the number of rows."""
        self.industries = {}
        for industry in Industry.objects.all():
            self.industries[_lookup_key(industry.name)] = industry
            self.industries.setdefault(_lookup_key(industry.code), industry)
        self.districts = {_lookup_key(d.name): d for d in District.objects.all()}
        self.streets = {
            (street.district_id, _lookup_key(street.name)): street
            for street in Street.objects.all()
        }
        self.units = {_lookup_key(unit.name): unit for unit in SupervisoryUnit.objects.all()}
        self.body_id = default_party_building_body_id()

    # Organizations ------------------------------------------------------------------------

    def _organization_batch(self, sheet: Sheet, batch) -> None:
        codes = {normalize_credit_code(_text(row.get("credit_code"))) for _n, row in batch}
        codes.discard("")
        stored = _stored_organizations(codes)
        earlier = self.seen.rows("o", codes)
        self.organization_rows = dict(earlier)
        plans = []
        for number, row in batch:
            plan = self._organization(sheet, number, row, stored)
            if plan is not None:
                plans.append(plan)
        self.seen.add("o", {c: n for c, n in self.organization_rows.items() if c not in earlier})
        self._tally(plans, "")
        if not self.result.errors:
            self._write_organizations(plans)

    def _tally(self, plans: list[Plan], prefix: str) -> None:
        """Count the batch's rows into the result: created, updated or unchanged."""
        for plan in plans:
            outcome = (
                "created" if plan.existing is None else "updated" if plan.values else "unchanged"
            )
            name = f"{prefix}{outcome}"
            setattr(self.result, name, getattr(self.result, name) + 1)

    def _write_organizations(self, plans: list[Plan]) -> None:
        if not self._write_reference_data():
            return
        new, changed, fields = [], [], set()
        for plan in plans:
            if plan.existing is None:
                new.append(plan.instance)
            elif plan.values:
                fields.update(plan.values)
                changed.append(plan.instance)

        def write():
            self.organizations_write.insert_organizations(new)
            self.organizations_write.update_organizations(changed, fields)

        self._bulk(plans, ORGANIZATION_ERROR_HEADERS, write)

    def _write_reference_data(self) -> bool:
        """The supervisory units and streets first met in this batch, before the rows using
        them. One that someone created meanwhile is reported on the first row naming it."""
        units = [unit for unit in self.new_units.values() if unit.pk is None]
        streets = [street for street in self.new_streets.values() if street.pk is None]
        for pending in (units, streets):
            if not pending:
                continue
            try:
                with transaction.atomic():
                    self.organizations_write.insert_reference(pending)
            except (IntegrityError, DataError):
                for instance in pending:
                    instance.pk = None
                    sheet, row, name = self.first_use[id(instance)]
                    self._locate_conflict(instance, sheet, row, ORGANIZATION_HEADERS, name)
                return False
        return True

    # Members ------------------------------------------------------------------------------

    def _member_batch(self, sheet: Sheet, batch) -> None:
        codes = {normalize_credit_code(_text(row.get("organization"))) for _n, row in batch}
        numbers = {
            normalize_id_number(_halfwidth(_text(row.get("id_number")))) for _n, row in batch
        }
        codes.discard("")
        numbers.discard("")
        # Numbers are found, and remembered across batches, by their digests (encrypted at rest).
        digests = {id_number_digest(number) for number in numbers}
        organizations = {
            o.credit_code: o
            for o in Organization.objects.filter(credit_code__in=codes).only("pk", "credit_code")
        }
        stored = {
            m.id_number_digest: m for m in PartyMember.objects.filter(id_number_digest__in=digests)
        }
        self.organization_rows = self.seen.rows("o", codes)  # the file's own organizations
        earlier = self.seen.rows("m", digests)
        self.member_rows = dict(earlier)
        plans = []
        for number, row in batch:
            plan = self._member(sheet, number, row, stored, organizations)
            if plan is not None:
                plans.append(plan)
        self.seen.add("m", {k: n for k, n in self.member_rows.items() if k not in earlier})
        self._tally(plans, "members_")
        if not self.result.errors:
            self._write_members(plans)

    def _write_members(self, plans: list[Plan]) -> None:
        new = [plan.instance for plan in plans if plan.existing is None]
        changed = [plan for plan in plans if plan.existing is not None and plan.values]
        fields = set()
        for plan in changed:
            fields.update(plan.values)
        changed = [plan.instance for plan in changed]
        left, self.organizations_left = self.organizations_left, set()

        def write():
            self.members_write.insert_members(new)
            self.members_write.update_members(changed, fields, previous_organization_ids=left)

        self._bulk(plans, MEMBER_HEADERS, write)

    # Writing ------------------------------------------------------------------------------

    def _bulk(self, plans: list[Plan], headers: dict[str, str], write) -> None:
        """Run a batch's bulk writes; when the database refuses the batch (someone changed the
        data meanwhile), find and report the rows it refuses, one by one."""
        try:
            with transaction.atomic():
                write()
        except (IntegrityError, DataError):
            for plan in plans:
                if plan.existing is None:
                    plan.instance.pk = None
                    plan.instance._state.adding = True
                self._locate_conflict(plan.instance, plan.sheet, plan.row, headers)
            if not self.result.errors:
                first = plans[0]
                self.error(first.sheet, first.row, "", CONFLICT)

    def _locate_conflict(self, instance, sheet, row, headers, column_field=None) -> None:
        """Save one row alone to learn whether the database refuses it, and why."""
        try:
            with transaction.atomic():
                instance.save()
        except (IntegrityError, DataError):
            pass
        else:
            return
        try:
            instance.validate_unique()
            instance.validate_constraints()
        except ValidationError as error:
            reasons = _messages(error)
        else:
            reasons = []
        if column_field:  # a unit or street: reported on the column naming it
            reasons = [(column_field, message) for _name, message in reasons]
        for name, message in reasons or [(column_field or "", CONFLICT)]:
            self.error(sheet, row, headers.get(name, ""), message)


def _stored_organizations(codes) -> dict[str, Organization]:
    """The batch's organizations already stored, by credit code: which codes are stored is
    asked first with plain parameters (`core.bulk_sql.read_keys`: into an empty registry that
    is all), then those rows are read with their street, unit and district."""
    found = read_keys(Organization, "credit_code", sorted(codes))
    if not found:
        return {}
    return {
        organization.credit_code: organization
        for organization in Organization.objects.filter(
            pk__in=[pk for _code, pk in found]
        ).select_related("street", "supervisory_unit", "district")
    }
