"""Import the Party-building ledger (台账) from an Excel workbook: the reverse of `exports`.

The import reads back the registry columns of the ledger (`Column.basic`) and, optionally, a sheet
of Party members, and creates or updates organizations by credit code (R-ID-1) and members by ID
number (R-ID-2). It is all or nothing: every row is checked first, and a single error anywhere
means nothing is written. No HTTP here; the management command and any view call
`import_ledger`.

Reading streams the sheets (`iter_rows(values_only=True)`); only the parsed rows are kept, because
nothing may be written before the last row is checked. Reference data (industries, districts,
streets, supervisory units, the organizations and members already stored) is fetched with a fixed
number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from openpyxl import load_workbook
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from registry.choices import OrganizationType
from registry.credit_codes import TYPE_DIGITS, normalize_credit_code, validate_credit_code
from registry.identity import normalize_id_number, validate_id_number
from registry.models import (
    District,
    Industry,
    Organization,
    Street,
    SupervisoryUnit,
    default_party_building_body_id,
)
from registry.services import organization_create, organization_update

from .choices import MemberRole, MemberStatus, Relationship, Sex
from .exports import COLUMNS, LEDGER_SHEET
from .models import PartyMember
from .services import party_member_create, party_member_update

NOT_A_WORKBOOK = "文件不是有效的Excel工作簿（.xlsx），请用本系统导出的台账作为模板。"
NO_HEADER = (
    "工作簿中没有找到台账表头（前10行中应有一行同时包含“社会组织名称”和“统一社会信用代码”），"
    "请用本系统导出的台账作为模板。"
)
HEADER_SCAN_ROWS = 10
QUERY_CHUNK = 1000  # stays well under SQLite's and PostgreSQL's parameter limits


def _model_field(ledger_field: str) -> str:
    """`industry__name` → `industry`, `organization_type_label` → `organization_type`."""
    return ledger_field.split("__")[0].removesuffix("_label")


#: Ledger header → Organization field, for the columns the import reads back.
ORGANIZATION_FIELDS = {c.header: _model_field(c.field) for c in COLUMNS if c.basic}
ORGANIZATION_HEADERS = {name: header for header, name in ORGANIZATION_FIELDS.items()}
# A basic column added to the export needs a reader in `_Importer._organization`.
assert set(ORGANIZATION_FIELDS.values()) == {
    "name",
    "credit_code",
    "organization_type",
    "industry",
    "supervisory_unit",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "district",
    "street",
    "full_time_staff",
    "established_on",
    "registered_on",
}
NAME = ORGANIZATION_HEADERS["name"]
CREDIT_CODE = ORGANIZATION_HEADERS["credit_code"]
# The ledger has no address column, but a hand-made file may; the model requires one.
ADDRESS_HEADERS = ("住所", "地址")
ADDRESS_HEADER = ADDRESS_HEADERS[0]
#: Header → field, for every organizations-sheet column the import reads.
ORGANIZATION_COLUMNS = {**ORGANIZATION_FIELDS, **dict.fromkeys(ADDRESS_HEADERS, "address")}
#: Organization field → the header its errors are reported under.
ORGANIZATION_ERROR_HEADERS = {**ORGANIZATION_HEADERS, "address": ADDRESS_HEADER}
ORGANIZATION_REQUIRED = (
    "name",
    "credit_code",
    "organization_type",
    "industry",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "district",
    "established_on",
    "registered_on",
)
# Foreign keys are resolved from the prefetched reference data; Django's own check would cost a
# query per row.
ORGANIZATION_RELATIONS = [
    "industry",
    "supervisory_unit",
    "party_building_body",
    "district",
    "street",
]

MEMBER_CODE = "所在社会组织统一社会信用代码"
MEMBER_FIELDS = {
    "姓名": "name",
    "身份证号": "id_number",
    MEMBER_CODE: "organization",
    "党员类别": "status",
    "人员类型": "role",
    "组织关系": "relationship",
    "证明信日期": "certificate_letter_on",
    "入党日期": "joined_party_on",
    "性别": "sex",
    "联系电话": "phone",
    "转正日期": "full_membership_due_on",
}
MEMBER_HEADERS = {name: header for header, name in MEMBER_FIELDS.items()}
MEMBER_KEY_HEADERS = ("姓名", "身份证号", MEMBER_CODE)
MEMBER_REQUIRED = ("name", "id_number", "organization", "status", "role", "relationship")
MEMBER_RELATIONS = ["organization", "party_organization"]

ORGANIZATION_TYPES = {
    "社会团体": OrganizationType.SOCIAL_GROUP,
    "民办非企业单位": OrganizationType.PRIVATE_NON_ENTERPRISE,
    "社会服务机构": OrganizationType.PRIVATE_NON_ENTERPRISE,
    "民办非企业单位（社会服务机构）": OrganizationType.PRIVATE_NON_ENTERPRISE,
    "民非": OrganizationType.PRIVATE_NON_ENTERPRISE,
    "基金会": OrganizationType.FOUNDATION,
}
# R-ID-1: position 2 of the code is the type, so a file without 组织类型 still says it.
TYPE_OF_DIGIT = {digit: value for value, digit in TYPE_DIGITS.items()}
MEMBER_STATUSES = {
    "正式党员": MemberStatus.FULL,
    "正式": MemberStatus.FULL,
    "预备党员": MemberStatus.PROBATIONARY,
    "预备": MemberStatus.PROBATIONARY,
}
MEMBER_ROLES = {
    "专职": MemberRole.FULL_TIME_STAFF,
    "专职人员": MemberRole.FULL_TIME_STAFF,
    "专职工作人员": MemberRole.FULL_TIME_STAFF,
    "兼职": MemberRole.PART_TIME_STAFF,
    "兼职人员": MemberRole.PART_TIME_STAFF,
    "兼职工作人员": MemberRole.PART_TIME_STAFF,
    "服务对象": MemberRole.SERVICE_RECIPIENT,
    "志愿者": MemberRole.VOLUNTEER,
}
RELATIONSHIPS = {
    "已转入": Relationship.TRANSFERRED,
    "组织关系已转入": Relationship.TRANSFERRED,
    "流动党员": Relationship.FLOATING,
    "未转接": Relationship.FLOATING,
    "在其他单位": Relationship.HELD_ELSEWHERE,
    "关系在外": Relationship.HELD_ELSEWHERE,
}
SEXES = {"男": Sex.MALE, "女": Sex.FEMALE}
NO_SUPERVISORY_UNIT = {"", "无", "直接登记", "-", "—", "/"}

DATE_PATTERN = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*T?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
INTEGER_PATTERN = re.compile(r"\+?(\d+)(?:\.0*)?")


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

    @property
    def ok(self) -> bool:
        return not self.errors

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

    def report(self) -> str:
        """The summary when all went well, otherwise one line per error."""
        if self.ok:
            return self.summary()
        head = f"{'试导入' if self.dry_run else '导入'}失败：发现{len(self.errors)}处错误，"
        head += "未写入任何数据。请修改后重新导入。"
        return "\n".join([head, *(str(error) for error in self.errors)])


def import_ledger(source, *, by, dry_run: bool = False) -> ImportResult:
    """Create or update organizations (by credit code, R-ID-1) and Party members (by ID number,
    R-ID-2) from a ledger workbook at `source` (a path or a binary file object).

    Every row is validated before anything is written; any error means nothing is written
    (`result.errors` says where). `dry_run` validates and reports what would change. Raises
    `LedgerImportError` when the file is not a readable workbook with a ledger header."""
    importer = _Importer(by=by, dry_run=dry_run)
    handle = _open(source)
    try:
        workbook = _load(handle)
        try:
            importer.read(workbook)
        finally:
            workbook.close()
    finally:
        if handle is not source:
            handle.close()
    importer.validate()
    if importer.result.ok and not dry_run:
        importer.write()
    return importer.result


def _open(source):
    if not isinstance(source, str | os.PathLike):
        return source
    # Opened here, not by openpyxl, so that the content decides and not the file's extension.
    try:
        return open(source, "rb")  # closed by import_ledger
    except FileNotFoundError:
        raise LedgerImportError(f"找不到文件“{source}”。") from None
    except OSError as error:
        raise LedgerImportError(f"无法读取文件“{source}”：{error.strerror}。") from None


def _load(handle):
    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:
        # openpyxl lets through whatever its layers raise for a file that is not a workbook
        # (BadZipFile, KeyError for a missing part, XML errors, InvalidFileException …); to the
        # user all of them mean the same thing.
        raise LedgerImportError(NOT_A_WORKBOOK) from error


# --- cell values ------------------------------------------------------------------------------


class _CellError(Exception):
    """A cell that cannot be read; the message is Chinese and names the value."""


def _compact(value) -> str:
    """Header cells and labels: all whitespace dropped (line breaks inside headers are common)."""
    return "".join(_text(value).split())


def _header(value) -> str:
    # A required-field star (*姓名) is a common template habit.
    return _compact(value).strip("*＊")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed as a number comes back as 13904310001.0
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    return str(value).strip()


def _integer(value) -> int:
    if isinstance(value, bool):
        raise _CellError(f"“{value}”不是数字。请填写整数，如12。")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = _compact(value).removesuffix("人").removesuffix("名")
        match = INTEGER_PATTERN.fullmatch(text)
        if not match:
            raise _CellError(f"“{_text(value)}”不是数字。请填写整数，如12。")
        number = int(match.group(1))
    if number < 0:
        raise _CellError(f"“{number}”不能为负数。")
    return number


def _date(value, epoch=CALENDAR_WINDOWS_1900) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    bad = _CellError(f"“{_text(value)}”不是有效的日期。请填写如2014-04-15的日期。")
    if isinstance(value, bool):
        raise bad
    if isinstance(value, int | float):
        return _serial_date(value, epoch, bad)
    text = _text(value)
    if text.isdigit():
        if len(text) == 8:  # 20140415
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
        else:
            return _serial_date(int(text), epoch, bad)
    match = DATE_PATTERN.fullmatch(text)
    if not match:
        raise bad
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise bad from None


def _serial_date(serial, epoch, bad) -> datetime.date:
    """An Excel serial number (41744 is 2014-04-15), as a date column formatted as General
    shows it. Small numbers would be dates in 1900, which no organization has: refused."""
    try:
        moment = from_excel(serial, epoch=epoch)
    except (ValueError, OverflowError, TypeError):
        raise bad from None
    if not isinstance(moment, datetime.datetime) or not 1901 <= moment.year <= 2099:
        raise bad
    return moment.date()


def _lookup_key(value) -> str:
    return _compact(value).lower()


def _differs(instance, name: str, value) -> bool:
    model_field = instance._meta.get_field(name)
    if model_field.is_relation:
        current = getattr(instance, model_field.attname)
        if value is None:
            return current is not None
        return value.pk is None or value.pk != current
    return getattr(instance, name) != value


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a ValidationError; field is NON_FIELD_ERRORS when it has none."""
    if hasattr(error, "error_dict"):
        return [
            (name, message) for name, messages in error.message_dict.items() for message in messages
        ]
    return [(NON_FIELD_ERRORS, message) for message in error.messages]


# --- the import -------------------------------------------------------------------------------


@dataclass
class _Sheet:
    title: str
    columns: dict[str, int]  # field name → index of its column
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number, field → value)


@dataclass
class _OrganizationPlan:
    sheet: _Sheet
    row: int
    code: str
    existing: Organization | None
    values: dict  # all fields for a new organization, only the changed ones for an update


@dataclass
class _MemberPlan:
    sheet: _Sheet
    row: int
    code: str  # the organization's credit code, resolved when writing
    existing: PartyMember | None
    values: dict


class _Importer:
    def __init__(self, *, by, dry_run: bool):
        self.by = by
        self.result = ImportResult(dry_run=dry_run)
        self.epoch = CALENDAR_WINDOWS_1900
        self.organization_sheet: _Sheet | None = None
        self.member_sheets: list[_Sheet] = []
        self.organization_plans: list[_OrganizationPlan] = []
        self.member_plans: list[_MemberPlan] = []
        self.new_units: dict[str, SupervisoryUnit] = {}
        self.new_streets: dict[tuple[int, str], Street] = {}
        self.first_use: dict[int, tuple[_Sheet, int, str]] = {}  # id(new unit/street) → where
        self.reported: set[RowError] = set()

    def error(self, sheet: _Sheet, row: int, column: str, message: str) -> None:
        error = RowError(sheet.title, row, column, str(message))
        if error not in self.reported:  # the model may repeat a check made here
            self.reported.add(error)
            self.result.errors.append(error)

    # Reading ------------------------------------------------------------------------------

    def read(self, workbook) -> None:
        self.epoch = workbook.epoch
        worksheets = list(workbook.worksheets)
        # The ledger sheet by its name first, then any sheet laid out like it.
        worksheets.sort(key=lambda sheet: sheet.title != LEDGER_SHEET)
        for worksheet in worksheets:
            # Written dimensions are sometimes wrong (one cell, "A1"); read the sheet as it is.
            worksheet.reset_dimensions()
            if self.organization_sheet is None:
                sheet = self._read_sheet(worksheet, (NAME, CREDIT_CODE), ORGANIZATION_COLUMNS)
                if sheet:
                    self.organization_sheet = sheet
                    continue
            sheet = self._read_sheet(worksheet, MEMBER_KEY_HEADERS, MEMBER_FIELDS)
            if sheet:
                self.member_sheets.append(sheet)
        if self.organization_sheet is None and not self.member_sheets:
            raise LedgerImportError(NO_HEADER)

    def _read_sheet(self, worksheet, key_headers, known: dict[str, str]) -> _Sheet | None:
        """Find the header row among the first rows, then keep the rows' values by field name.
        Unknown columns, and the computed ones of the ledger, are not read."""
        header_row, columns = None, {}
        for number, values in enumerate(
            worksheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True), start=1
        ):
            headers = {}
            for index, value in enumerate(values):
                headers.setdefault(_header(value), index)
            if all(header in headers for header in key_headers):
                header_row = number
                columns = {}
                for header, index in headers.items():
                    name = known.get(header)
                    if name and name not in columns:  # the first of 住所/地址 wins
                        columns[name] = index
                break
        if header_row is None:
            return None
        sheet = _Sheet(worksheet.title, columns)
        for number, values in enumerate(
            worksheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
        ):
            row = {
                name: values[index] if index < len(values) else None
                for name, index in columns.items()
            }
            # Empty in every column read: a blank line, or a footer note in an ignored column.
            if all(_text(value) == "" for value in row.values()):
                continue
            sheet.rows.append((number, row))
        return sheet

    # Validation ---------------------------------------------------------------------------

    def validate(self) -> None:
        self._prefetch()
        seen: dict[str, int] = {}
        if self.organization_sheet:
            for number, row in self.organization_sheet.rows:
                self._organization(self.organization_sheet, number, row, seen)
        seen = {}
        for sheet in self.member_sheets:
            for number, row in sheet.rows:
                self._member(sheet, number, row, seen)
        result = self.result
        if result.errors:
            return  # nothing will be written, so nothing is counted (a dry run says the same)
        result.created = sum(1 for plan in self.organization_plans if plan.existing is None)
        result.updated = sum(1 for plan in self.organization_plans if plan.existing and plan.values)
        result.unchanged = sum(
            1 for plan in self.organization_plans if plan.existing and not plan.values
        )
        result.members_created = sum(1 for plan in self.member_plans if plan.existing is None)
        result.members_updated = sum(
            1 for plan in self.member_plans if plan.existing and plan.values
        )
        result.members_unchanged = sum(
            1 for plan in self.member_plans if plan.existing and not plan.values
        )
        result.supervisory_units_created = len(self.new_units)
        result.streets_created = len(self.new_streets)

    def _prefetch(self) -> None:
        """All reference data in a fixed number of queries (rows only add chunks of 1000)."""
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

        codes = set()
        if self.organization_sheet:
            codes |= {
                normalize_credit_code(_text(row.get("credit_code")))
                for _number, row in self.organization_sheet.rows
            }
        id_numbers = set()
        for sheet in self.member_sheets:
            for _number, row in sheet.rows:
                codes.add(normalize_credit_code(_text(row.get("organization"))))
                id_numbers.add(normalize_id_number(_text(row.get("id_number"))))
        codes.discard("")
        id_numbers.discard("")
        self.organizations = {}
        for chunk in _chunks(codes):
            for organization in Organization.objects.filter(credit_code__in=chunk).select_related(
                "street", "supervisory_unit", "district"
            ):
                self.organizations[organization.credit_code] = organization
        self.members = {}
        for chunk in _chunks(id_numbers):
            for member in PartyMember.objects.filter(id_number__in=chunk):
                self.members[member.id_number] = member
        self.file_codes = set()  # credit codes in the organizations sheet, for the members sheet

    def _organization(self, sheet: _Sheet, number: int, row: dict, seen: dict) -> None:
        errors_before = len(self.result.errors)

        def fail(name: str, message: str) -> None:
            self.error(sheet, number, ORGANIZATION_ERROR_HEADERS.get(name, ""), message)

        present = set(sheet.columns)
        values = {}

        code = normalize_credit_code(_text(row.get("credit_code")))
        if not code:
            fail("credit_code", "不能为空。")
        elif code in seen:
            fail("credit_code", f"与第{seen[code]}行的统一社会信用代码{code}重复。")
        else:
            seen[code] = number
            self.file_codes.add(code)
        existing = self.organizations.get(code) if code else None
        creating = existing is None

        for name in ("name", "legal_representative", "contact_person", "contact_phone"):
            if name in present:
                text = _text(row.get(name))
                if text:
                    values[name] = text
                else:
                    fail(name, "不能为空。")

        organization_type = None
        if "organization_type" in present and _compact(row.get("organization_type")):
            label = _compact(row.get("organization_type"))
            organization_type = ORGANIZATION_TYPES.get(label) or (
                label if label in OrganizationType.values else None
            )
            if organization_type is None:
                fail(
                    "organization_type",
                    f"未知的组织类型“{label}”，应为社会团体、民办非企业单位（社会服务机构）"
                    "或基金会。",
                )
        elif "organization_type" in present or creating:
            # R-ID-1: position 2 of the code is the type (1 社会团体, 2 民办非企业单位, 3 基金会).
            organization_type = TYPE_OF_DIGIT.get(code[1:2])
        else:
            organization_type = existing.organization_type
        if organization_type:
            values["organization_type"] = organization_type

        if code:
            try:
                # R-ID-1: both check characters, the civil-affairs authority, and the type.
                values["credit_code"] = validate_credit_code(
                    code, organization_type=organization_type
                )
            except ValidationError as error:
                for message in error.messages:
                    fail("credit_code", message)

        if "industry" in present:
            text = _text(row.get("industry"))
            industry = self.industries.get(_lookup_key(text))
            if not text:
                fail("industry", "不能为空。")
            elif industry is None:
                names = "、".join(dict.fromkeys(i.name for i in self.industries.values()))
                fail("industry", f"未知的行业类别“{text}”，可选：{names}。")
            else:
                values["industry"] = industry

        if "supervisory_unit" in present:
            text = _text(row.get("supervisory_unit"))
            if _compact(text) in NO_SUPERVISORY_UNIT:
                values["supervisory_unit"] = None  # direct registration (直接登记)
            else:
                unit = self._supervisory_unit(text)
                message = self._unsaved_error(unit)
                if message:
                    fail("supervisory_unit", message)
                else:
                    values["supervisory_unit"] = unit
                    self.first_use.setdefault(id(unit), (sheet, number, "supervisory_unit"))

        district = existing.district if existing else None
        if "district" in present:
            text = _text(row.get("district"))
            district = self.districts.get(_lookup_key(text))
            if not text:
                fail("district", "不能为空。")
            elif district is None:
                fail("district", f"未知的所属区“{text}”。")
            else:
                values["district"] = district
        if "street" in present:
            text = _text(row.get("street"))
            if not text:
                values["street"] = None
            elif district is not None:
                street = self._street(district, text)
                message = self._unsaved_error(street)
                if message:
                    fail("street", message)
                else:
                    values["street"] = street
                    self.first_use.setdefault(id(street), (sheet, number, "street"))

        if "full_time_staff" in present and _text(row.get("full_time_staff")):
            try:
                values["full_time_staff"] = _integer(row.get("full_time_staff"))
            except _CellError as error:
                fail("full_time_staff", str(error))
        elif creating:
            values["full_time_staff"] = 0  # empty: nobody counted yet; an update keeps the figure

        for name in ("established_on", "registered_on"):
            if name in present:
                if not _text(row.get(name)):
                    fail(name, "不能为空。")
                    continue
                try:
                    values[name] = _date(row.get(name), self.epoch)
                except _CellError as error:
                    fail(name, str(error))

        if "address" in present and _text(row.get("address")):
            values["address"] = _text(row.get("address"))
        elif creating and values.get("district"):
            # The ledger has no address column but the model requires one: the district and
            # street are true as far as they go, and the note tells the clerk to complete it.
            street = values.get("street")
            values["address"] = (
                f"{values['district'].name}{street.name if street else ''}（详细地址待补充）"
            )

        if creating:
            for name in ORGANIZATION_REQUIRED:
                if name not in values and name not in present and name != "credit_code":
                    if (
                        name == "organization_type"
                        and code
                        and len(self.result.errors) > errors_before
                    ):
                        continue  # the code's own error says more
                    fail(name, "新建社会组织必须填写此项（文件中没有这一列）。")

        if len(self.result.errors) > errors_before:
            return
        if existing:
            values = {name: v for name, v in values.items() if _differs(existing, name, v)}
            instance = existing
            for name, value in values.items():
                setattr(instance, name, value)
        else:
            instance = Organization(**values, party_building_body_id=self.body_id)
        try:
            instance.clean_fields(exclude=ORGANIZATION_RELATIONS)
            instance.clean()
        except ValidationError as error:
            for name, message in _messages(error):
                fail(name, message)
        if (
            instance.established_on
            and instance.registered_on
            and instance.registered_on < instance.established_on
        ):
            fail("registered_on", "登记日期不能早于成立日期。")
        if len(self.result.errors) == errors_before:
            self.organization_plans.append(_OrganizationPlan(sheet, number, code, existing, values))

    def _supervisory_unit(self, name: str) -> SupervisoryUnit:
        key = _lookup_key(name)
        unit = self.units.get(key) or self.new_units.get(key)
        if unit is None:
            # Units of the civil-affairs bureau make their organizations bureau-managed (局管),
            # and the bureau's units are the ones named after it (市民政局…, 民间组织管理局);
            # a unit first met in a ledger gets the flag a clerk would give it.
            unit = SupervisoryUnit(
                name=name, is_civil_affairs="民政" in name or "民间组织管理局" in name
            )
            self.new_units[key] = unit
        return unit

    def _street(self, district: District, name: str) -> Street:
        key = (district.pk, _lookup_key(name))
        street = self.streets.get(key) or self.new_streets.get(key)
        if street is None:
            # Bureaus add streets as organizations appear in them; an unknown street in a known
            # district is new, not a typo to refuse.
            street = Street(district=district, name=name)
            self.new_streets[key] = street
        return street

    @staticmethod
    def _unsaved_error(instance) -> str:
        """The first problem of a supervisory unit or street the import would create."""
        if instance.pk is not None:
            return ""
        try:
            instance.clean_fields(exclude=["district"])
        except ValidationError as error:
            return _messages(error)[0][1]
        return ""

    def _member(self, sheet: _Sheet, number: int, row: dict, seen: dict) -> None:
        errors_before = len(self.result.errors)

        def fail(name: str, message: str) -> None:
            self.error(sheet, number, MEMBER_HEADERS.get(name, ""), message)

        present = set(sheet.columns)
        values = {}

        id_number = normalize_id_number(_text(row.get("id_number")))
        existing = None
        if not id_number:
            fail("id_number", "不能为空。")
        else:
            try:
                id_number = validate_id_number(id_number)  # R-ID-2
            except ValidationError as error:
                for message in error.messages:
                    fail("id_number", message)
            else:
                values["id_number"] = id_number
                if id_number in seen:
                    # The number itself stays out of the report (R-ID-2: sensitive).
                    fail("id_number", f"与第{seen[id_number]}行的身份证号重复。")
                else:
                    seen[id_number] = number
                existing = self.members.get(id_number)
        creating = existing is None

        name = _text(row.get("name"))
        if name:
            values["name"] = name
        else:
            fail("name", "不能为空。")

        code = normalize_credit_code(_text(row.get("organization")))
        if not code:
            fail("organization", "不能为空。")
        elif code not in self.file_codes and code not in self.organizations:
            fail(
                "organization", f"没有统一社会信用代码为{code}的社会组织（系统和本文件中都没有）。"
            )

        # R-PB-1: status, role and relationship decide whether the member counts.
        choices = (
            ("status", MEMBER_STATUSES, "正式党员或预备党员"),
            ("role", MEMBER_ROLES, "专职、兼职、服务对象或志愿者"),
            ("relationship", RELATIONSHIPS, "已转入、流动党员（未转接）或在其他单位（关系在外）"),
        )
        for field_name, labels, expected in choices:
            if field_name not in present:
                if creating:
                    fail(field_name, "新建党员必须填写此项（文件中没有这一列）。")
                continue
            label = _compact(row.get(field_name))
            if not label:
                fail(field_name, "不能为空。")
            elif label not in labels:
                header = MEMBER_HEADERS[field_name]
                fail(field_name, f"未知的{header}“{label}”，应为{expected}。")
            else:
                values[field_name] = labels[label]

        for field_name in ("certificate_letter_on", "joined_party_on", "full_membership_due_on"):
            if field_name not in present:
                continue
            if not _text(row.get(field_name)):
                values[field_name] = None
                continue
            try:
                values[field_name] = _date(row.get(field_name), self.epoch)
            except _CellError as error:
                fail(field_name, str(error))

        if "sex" in present:
            label = _compact(row.get("sex"))
            if label and label not in SEXES:
                fail("sex", f"“{label}”应为男或女。")
            elif label:
                values["sex"] = SEXES[label]
            # Empty: the model takes it from the ID number (its 17th digit).
        if "phone" in present:
            values["phone"] = _text(row.get("phone"))

        status = values.get("status") or (existing.status if existing else None)
        if status == MemberStatus.FULL:
            # The model keeps the date only while the probation runs; a full member's past
            # conversion date is not stored.
            values["full_membership_due_on"] = None
        elif status == MemberStatus.PROBATIONARY:
            stored = existing.full_membership_due_on if existing else None
            due = values.get("full_membership_due_on", stored)
            unreadable = (
                "full_membership_due_on" in present
                and due is None
                and _text(row.get("full_membership_due_on"))
            )
            if due is None and not unreadable:
                # The model requires the date for probationary members; asking here names the
                # column, even when the file has none.
                fail("full_membership_due_on", "预备党员必须填写转正日期。")

        if len(self.result.errors) > errors_before:
            return
        if existing:
            values = {k: v for k, v in values.items() if _differs(existing, k, v)}
            target = self.organizations.get(code)
            if target is None or target.pk != existing.organization_id:
                values["organization"] = None  # resolved when writing
            instance = existing
            for key, value in values.items():
                if key != "organization":
                    setattr(instance, key, value)
        else:
            instance = PartyMember(**values)
        try:
            instance.clean_fields(exclude=MEMBER_RELATIONS)
            instance.clean()
        except ValidationError as error:
            for key, message in _messages(error):
                fail(key, message)
        if len(self.result.errors) == errors_before:
            self.member_plans.append(_MemberPlan(sheet, number, code, existing, values))

    # Writing ------------------------------------------------------------------------------

    def write(self) -> None:
        """Everything in one transaction: a service that still refuses a row (someone changed
        the data meanwhile) rolls the whole import back and is reported on its row."""
        result = self.result
        try:
            with transaction.atomic():
                self._write_reference_data()
                for plan in self.organization_plans:
                    try:
                        if plan.existing is None:
                            organization = organization_create(by=self.by, **plan.values)
                        elif plan.values:
                            organization = organization_update(
                                organization=plan.existing, by=self.by, **plan.values
                            )
                        else:
                            organization = plan.existing
                        self.organizations[organization.credit_code] = organization
                    except (ValidationError, IntegrityError) as error:
                        self._write_error(plan, ORGANIZATION_ERROR_HEADERS, error)
                for plan in self.member_plans:
                    values = dict(plan.values)
                    if plan.existing is None or "organization" in values:
                        values["organization"] = self.organizations.get(plan.code)
                    try:
                        if plan.existing is None:
                            party_member_create(by=self.by, **values)
                        elif values:
                            party_member_update(member=plan.existing, by=self.by, **values)
                    except (ValidationError, IntegrityError) as error:
                        self._write_error(plan, MEMBER_HEADERS, error)
                if result.errors:
                    raise _RolledBack
        except _RolledBack:
            result.created = result.updated = result.unchanged = 0
            result.members_created = result.members_updated = result.members_unchanged = 0
            result.supervisory_units_created = result.streets_created = 0

    def _write_reference_data(self) -> None:
        """The supervisory units and streets first met in the file, before the rows using them.
        One that someone created meanwhile is reported on the first row naming it."""
        for instance in [*self.new_units.values(), *self.new_streets.values()]:
            try:
                with transaction.atomic():
                    instance.full_clean()
                    instance._history_user = self.by
                    instance.save()
            except (ValidationError, IntegrityError) as error:
                sheet, row, name = self.first_use[id(instance)]
                message = _messages(error)[0][1] if isinstance(error, ValidationError) else ""
                self.error(
                    sheet,
                    row,
                    ORGANIZATION_HEADERS[name],
                    message or "写入时与系统中的数据冲突，请重新导入。",
                )
        if self.result.errors:
            raise _RolledBack  # rows must not be saved pointing at an unsaved unit or street

    def _write_error(self, plan, headers: dict[str, str], error) -> None:
        if isinstance(error, IntegrityError):
            message = "写入时与系统中的数据冲突（可能有人同时修改了同一条记录），请重新导入。"
            self.error(plan.sheet, plan.row, "", message)
            return
        for name, message in _messages(error):
            self.error(plan.sheet, plan.row, headers.get(name, ""), message)


class _RolledBack(Exception):
    """Raised inside the write transaction to undo it when a row failed."""


def _chunks(values, size: int = QUERY_CHUNK):
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]
