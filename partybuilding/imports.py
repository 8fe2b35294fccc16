"""Import the Party-building ledger (台账) from an Excel workbook: the reverse of `exports`.

The import reads back the registry columns of the ledger (`Column.basic`) and, optionally, a sheet
of Party members, and creates or updates organizations by credit code (R-ID-1) and members by ID
number (R-ID-2). It is all or nothing: a single error anywhere means nothing is written. No HTTP
here; the management command and the upload view call `import_ledger`.

It streams, so that a province's ledger (100,000 rows and more) imports in flat memory: the
archive is checked first (`import_archive`), the sheets are streamed by `core.xlsx_reader` (a
megabyte of XML at a time) and handed over row by row, checked in batches of `BATCH_SIZE`
rows (one query for the batch's stored rows, reference data fetched once), and each valid batch
is written at once with bulk inserts and updates, all inside ONE transaction that is rolled back
at the end when any row anywhere had an error, and for a dry run. The credit codes and ID numbers
already read, to find duplicates, wait in a temporary table (`import_seen`), not in memory."""

from __future__ import annotations

import os
import time
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from core.bulk_jobs import startup_objects_frozen
from core.id_numbers import id_number_digest
from core.identity import normalize_id_number
from core.xlsx_reader import XlsxFormatError, XlsxReader, XlsxXmlError
from registry.credit_codes import normalize_credit_code
from registry.models import (
    District,
    Industry,
    Organization,
    Street,
    SupervisoryUnit,
    default_party_building_body_id,
)

from . import import_writes as writes
from .exports import LEDGER_SHEET
from .import_archive import (
    COMMAND_LIMITS,
    EXCEL_ROWS,
    ArchiveRefused,
    Limits,
    inspect_archive,
)
from .import_audit import audit_import
from .import_cells import (
    CREDIT_CODE,
    HEADER_SCAN_ROWS,
    MALFORMED,
    MEMBER_FIELDS,
    MEMBER_HEADERS,
    MEMBER_KEY_HEADERS,
    NAME,
    NO_HEADER,
    NOT_A_WORKBOOK,
    ORGANIZATION_COLUMNS,
    ORGANIZATION_ERROR_HEADERS,
    ORGANIZATION_HEADERS,
    _halfwidth,
    _header,
    _lookup_key,
    _messages,
    _text,
)
from .import_rows import Plan, RowChecks
from .import_seen import SeenKeys
from .models import PartyMember
from .services import standings_refresh

__all__ = [
    "NO_HEADER",
    "NOT_A_WORKBOOK",
    "ImportResult",
    "LedgerImportError",
    "RowError",
    "import_ledger",
]

#: Rows checked and written together; also the size of the one lookup query per batch, well
#: under SQLite's and PostgreSQL's parameter limits.
BATCH_SIZE = 1000
#: Past this many errors the file is not read further: the report is long enough to act on.
MAX_ERRORS = 1000
STANDINGS_CHUNK = 5000
CONFLICT = "写入时与系统中的数据冲突（可能有人同时修改了同一条记录），请重新导入。"


class LedgerImportError(Exception):
    """The file cannot be read as a ledger at all. The message is one Chinese sentence."""


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # as Excel shows it: 1-based, title rows counted
    column: str  # the header, or "" for the whole row
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行（{self.sheet}）"
        if self.column:
            where += f"“{self.column}”"
        return f"{where}：{self.message}"


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

    def summary(self) -> str:
        would = "将" if self.dry_run else ""
        text = (
            f"{would}新建社会组织{self.created}家，更新{self.updated}家，"
            f"{self.unchanged}家无变化；{would}新建党员{self.members_created}名，"
            f"更新{self.members_updated}名，{self.members_unchanged}名无变化"
        )
        if self.supervisory_units_created or self.streets_created:
            text += (
                f"；{would}新增业务主管单位{self.supervisory_units_created}个、"
                f"街道{self.streets_created}个"
            )
        if self.dry_run:
            return f"试导入完成，未写入任何数据：{text}。"
        return f"导入完成：{text}。"

    def timing(self) -> str:
        return (
            f"共读取{self.rows}行，用时{self.seconds:.1f}秒（每秒{self.rows_per_second:.0f}行）。"
        )

    def report(self) -> str:
        """The summary when all went well, otherwise one line per error."""
        if self.ok:
            return self.summary()
        count = len(self.errors)
        found = f"至少{count}处错误（只列出前{count}处）" if self.truncated else f"{count}处错误"
        head = f"{'试导入' if self.dry_run else '导入'}失败：发现{found}，"
        head += "未写入任何数据。请修改后重新导入。"
        return "\n".join([head, *(str(error) for error in self.errors)])


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
    (`import_archive`: sizes, compression ratio, entities, Excel's row limit; `limits` are the
    command's by default, the upload page passes its own), which run before any reader opens
    it. A written import is recorded in the audit log (`import_audit`), with
    `file_name` (by default the path's or the file object's name) and `ip_address`."""
    started = time.perf_counter()
    if file_name is None:
        file_name = _file_name(source)
    importer = _Importer(by=by, dry_run=dry_run, file_name=file_name, ip_address=ip_address)
    handle = _open(source)
    try:
        try:
            facts = inspect_archive(handle, limits)
        except ArchiveRefused as refusal:
            raise LedgerImportError(str(refusal)) from None
        workbook = _load(handle)
        importer.epoch = CALENDAR_MAC_1904 if facts.date1904 else CALENDAR_WINDOWS_1900
        try:
            with startup_objects_frozen():
                importer.run(workbook)
        finally:
            workbook.close()
    finally:
        if handle is not source:
            handle.close()
    importer.result.seconds = time.perf_counter() - started
    return importer.result


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
        raise LedgerImportError(f"找不到文件“{source}”。") from None
    except OSError as error:
        raise LedgerImportError(f"无法读取文件“{source}”：{error.strerror}。") from None


def _load(handle) -> XlsxReader:
    """The workbook, streamed by `core.xlsx_reader`: in flat memory (calamine, the reader before
    it, held a sheet whole: 185 MB at 100,000 rows, 2 GB at a million), about 1.5 s of CPU
    slower than calamine per 100,000 rows and four times faster than openpyxl's read-only mode
    (measured on bench/'s ledger). Only after `inspect_archive` accepted the file."""
    handle.seek(0)
    try:
        return XlsxReader(handle)
    except XlsxFormatError as error:
        raise _unreadable(error) from error


def _unreadable(error: Exception) -> LedgerImportError:
    """Whatever the reader raises for a file that is not a workbook (zip, a missing part …)
    means the same thing to the user; broken XML is named as such."""
    return LedgerImportError(MALFORMED if isinstance(error, XlsxXmlError) else NOT_A_WORKBOOK)


# --- reading ----------------------------------------------------------------------------------


@dataclass
class _Sheet:
    title: str
    columns: dict[str, int]  # field name → index of its column
    worksheet: object
    header_row: int

    def rows(self):
        """(Excel row number, field → value), streamed; rows empty in every column read (a
        blank line, a footer note in an ignored column) are skipped. XML found broken on the
        way raises LedgerImportError inside the import's transaction: nothing is written."""
        try:
            yield from self._rows()
        except XlsxFormatError as error:
            raise _unreadable(error) from error

    def _rows(self):
        columns = list(self.columns.items())
        header_row = self.header_row
        # The reader gives each row's number and its cells from column A, as the header's.
        for number, values in self.worksheet.rows(set(self.columns.values())):
            if number <= header_row:
                continue
            if number > EXCEL_ROWS:
                break
            width = len(values)
            row = {}
            for name, index in columns:
                value = values[index] if index < width else None
                if value.__class__ is str and "\x00" in value:
                    # NUL is no character of a ledger (Excel writes it as _x0000_), and
                    # PostgreSQL refuses it in text: it goes here, before any check or lookup.
                    value = value.replace("\x00", "")
                row[name] = value
            if not all(_blank(value) for value in row.values()):
                yield number, row


def _blank(value) -> bool:
    """`_text(value) == ""`, without building the text: this runs for every cell read."""
    return value is None or (isinstance(value, str) and not value.strip())


def _find_sheet(worksheet, key_headers, known: dict[str, str]) -> _Sheet | None:
    """The header row among the first rows; unknown columns, and the computed ones of the
    ledger, are not read."""
    with closing(worksheet.rows()) as rows:
        return _find_header(worksheet, rows, key_headers, known)


def _find_header(worksheet, rows, key_headers, known: dict[str, str]) -> _Sheet | None:
    for number, values in rows:
        if number > HEADER_SCAN_ROWS:
            return None
        headers = {}
        for index, value in enumerate(values):
            headers.setdefault(_header(value), index)
        if all(header in headers for header in key_headers):
            columns = {}
            for header, index in headers.items():
                name = known.get(header)
                if name and name not in columns:  # the first of 住所/地址 wins
                    columns[name] = index
            return _Sheet(worksheet.name, columns, worksheet, number)
    return None


def _sheets(workbook) -> tuple[_Sheet | None, list[_Sheet]]:
    organization_sheet, member_sheets = None, []
    # The ledger sheet by its name first, then any sheet laid out like it.
    names = sorted(workbook.sheet_names, key=lambda name: name != LEDGER_SHEET)
    for name in names:
        worksheet = workbook.sheet(name)
        try:
            if organization_sheet is None:
                organization_sheet = _find_sheet(
                    worksheet, (NAME, CREDIT_CODE), ORGANIZATION_COLUMNS
                )
                if organization_sheet:
                    continue
            sheet = _find_sheet(worksheet, MEMBER_KEY_HEADERS, MEMBER_FIELDS)
        except XlsxFormatError as error:  # a part the reader cannot parse
            raise _unreadable(error) from error
        if sheet:
            member_sheets.append(sheet)
        # Other sheets (instructions, the summary) are read no further than their header.
    if organization_sheet is None and not member_sheets:
        raise LedgerImportError(NO_HEADER)
    return organization_sheet, member_sheets


def _batches(rows, size: int | None = None):
    rows, size = iter(rows), size or BATCH_SIZE
    while batch := list(islice(rows, size)):
        yield batch


# --- the import -------------------------------------------------------------------------------


class _RolledBack(Exception):
    """Raised inside the import's transaction to undo it (an error, or a dry run)."""


class _Importer(RowChecks):
    def __init__(self, *, by, dry_run: bool, file_name: str = "", ip_address=None):
        self.by = by
        self.dry_run = dry_run
        self.file_name, self.ip_address = file_name, ip_address
        # (model, history date) of each bulk history insert, for the audit log.
        self.histories: list[tuple[type, object]] = []
        self.sheet_titles: dict[str, list[str]] = {}
        self.result = ImportResult(dry_run=dry_run)
        self.epoch = CALENDAR_WINDOWS_1900
        # Credit code / ID number → the row it was first read on, for the batch being checked:
        # those of earlier batches come from `self.seen`, a table, so memory stays flat.
        self.organization_rows: dict[str, int] = {}
        self.member_rows: dict[str, int] = {}
        self.new_units: dict[str, SupervisoryUnit] = {}
        self.new_streets: dict[tuple[int, str], Street] = {}
        self.first_use: dict[int, tuple[_Sheet, int, str]] = {}  # id(new unit/street) → where
        self.reported: set[RowError] = set()
        self.affected: set[int] = set()  # organizations written, or whose members were

    def error(self, sheet: _Sheet, row: int, column: str, message: str) -> None:
        error = RowError(sheet.title, row, column, str(message))
        if error not in self.reported:  # the model may repeat a check made here
            self.reported.add(error)
            self.result.errors.append(error)

    @property
    def full(self) -> bool:
        return len(self.result.errors) >= MAX_ERRORS

    def run(self, workbook) -> None:
        organization_sheet, member_sheets = _sheets(workbook)
        self.sheet_titles = {
            "organizations": [organization_sheet.title] if organization_sheet else [],
            "members": [sheet.title for sheet in member_sheets],
        }
        self._prefetch()
        result = self.result
        try:
            with transaction.atomic():
                self.seen = SeenKeys()
                work = [(sheet, self._member_batch) for sheet in member_sheets]
                if organization_sheet:
                    work.insert(0, (organization_sheet, self._organization_batch))
                for sheet, check in work:
                    for batch in _batches(sheet.rows()):
                        result.rows += len(batch)
                        check(sheet, batch)
                        if self.full:
                            result.truncated = True
                            del result.errors[MAX_ERRORS:]
                            raise _RolledBack
                self.seen.drop()
                if not result.errors:
                    self._refresh_standings()
                    result.supervisory_units_created = len(self.new_units)
                    result.streets_created = len(self.new_streets)
                if result.errors or self.dry_run:
                    raise _RolledBack
                audit_import(
                    result=result,
                    by=self.by,
                    file_name=self.file_name,
                    ip_address=self.ip_address,
                    histories=self.histories,
                    sheets=self.sheet_titles,
                )
        except _RolledBack:
            pass
        if result.errors:  # nothing is written, so nothing is counted (a dry run says the same)
            result.created = result.updated = result.unchanged = 0
            result.members_created = result.members_updated = result.members_unchanged = 0
            result.supervisory_units_created = result.streets_created = 0

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

    def _organization_batch(self, sheet: _Sheet, batch) -> None:
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
        new, changed, fields = [], [], {"bureau_managed"}
        for plan in plans:
            instance = plan.instance
            if plan.existing is not None and not plan.values:
                continue
            # The model's clean() ran before a new unit had its key; what it decides is redone.
            unit = instance.supervisory_unit
            instance.bureau_managed = bool(unit and unit.is_civil_affairs)
            if plan.existing is None:
                new.append(instance)
            else:
                fields.update(plan.values)
                changed.append(instance)

        def write():
            writes.insert(Organization, new, key=("credit_code",))
            self._history(Organization, new, "+")
            writes.update(Organization, changed, fields)
            self._history(Organization, changed, "~")

        self._bulk(plans, ORGANIZATION_ERROR_HEADERS, write)
        self.affected.update(instance.pk for instance in [*new, *changed])

    def _write_reference_data(self) -> bool:
        """The supervisory units and streets first met in this batch, before the rows using
        them. One that someone created meanwhile is reported on the first row naming it."""
        units = [unit for unit in self.new_units.values() if unit.pk is None]
        streets = [street for street in self.new_streets.values() if street.pk is None]
        for model, key, pending in (
            (SupervisoryUnit, ("name",), units),
            (Street, ("district_id", "name"), streets),
        ):
            if not pending:
                continue
            try:
                with transaction.atomic():
                    writes.insert(model, pending, key=key)
                    self._history(model, pending, "+")
            except (IntegrityError, DataError):
                for instance in pending:
                    instance.pk = None
                    sheet, row, name = self.first_use[id(instance)]
                    self._locate_conflict(instance, sheet, row, ORGANIZATION_HEADERS, name)
                return False
        return True

    # Members ------------------------------------------------------------------------------

    def _member_batch(self, sheet: _Sheet, batch) -> None:
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
        fields = {"sex", "birth_date"}  # the model's clean() may fill them
        for plan in changed:
            fields.update(plan.values)
        changed = [plan.instance for plan in changed]

        def write():
            writes.insert(PartyMember, new, key=("id_number_digest",))
            self._history(PartyMember, new, "+")
            writes.update(PartyMember, changed, fields)
            self._history(PartyMember, changed, "~")

        self._bulk(plans, MEMBER_HEADERS, write)
        self.affected.update(plan.instance.organization_id for plan in plans if plan.values)

    # Writing ------------------------------------------------------------------------------

    def _history(self, model, instances, history_type: str) -> None:
        stamp = writes.history(model, instances, history_type=history_type, by=self.by)
        # Two inserts of one model may share a microsecond; the audit reads each date once.
        if stamp is not None and (model, stamp) not in self.histories[-4:]:
            self.histories.append((model, stamp))

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

    def _refresh_standings(self) -> None:
        """Bulk writes skip save() and its receivers, so the precomputed Party-building figures
        (`Standing`, with its copies of the organization's status, dates, district and
        industry) of the organizations written or whose members were are refreshed here, in
        the same transaction."""
        affected = sorted(self.affected)
        for start in range(0, len(affected), STANDINGS_CHUNK):
            # In slices: one call for 100,000 organizations held 40 MB more at its peak.
            standings_refresh(affected[start : start + STANDINGS_CHUNK])


def _stored_organizations(codes) -> dict[str, Organization]:
    """The batch's organizations already stored, by credit code: which codes are stored is
    asked first with plain parameters (`import_writes.read_keys`: into an empty registry that
    is all), then those rows are read with their street, unit and district."""
    found = writes.read_keys(Organization, "credit_code", sorted(codes))
    if not found:
        return {}
    return {
        organization.credit_code: organization
        for organization in Organization.objects.filter(
            pk__in=[pk for _code, pk in found]
        ).select_related("street", "supervisory_unit", "district")
    }
