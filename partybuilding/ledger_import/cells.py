"""What the ledger import knows about cells: the headers it reads, the labels it accepts and
how a cell typed by hand (numbers as text, dates in five spellings …) becomes a value."""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from registry.choices import OrganizationType
from registry.credit_codes import TYPE_DIGITS

from ..choices import MemberRole, MemberStatus, Relationship, Sex
from ..exports import COLUMNS

NOT_A_WORKBOOK = _(
    "The file is not a valid Excel workbook (.xlsx); use a ledger exported by this system as the "
    "template."
)
MALFORMED = _(
    "The file is damaged: the XML in the workbook is malformed and cannot be read. Open it in "
    "Excel or WPS, save it as .xlsx, then import it."
)
HEADER_SCAN_ROWS = 10


def _model_field(ledger_field: str) -> str:
    """`industry__name` → `industry`, `organization_type_label` → `organization_type`."""
    return ledger_field.split("__")[0].removesuffix("_label")


#: Ledger header → Organization field, for the columns the import reads back.
ORGANIZATION_FIELDS = {c.header: _model_field(c.field) for c in COLUMNS if c.basic}
ORGANIZATION_HEADERS = {name: header for header, name in ORGANIZATION_FIELDS.items()}
# A basic column added to the export needs a reader in `rows.RowChecks._organization`.
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


def _no_header() -> str:
    return gettext(
        "No ledger header was found in the workbook (one of the first %(rows)s rows should hold "
        "both “%(name)s” and “%(code)s”); use a ledger exported by this system as the template."
    ) % {"rows": HEADER_SCAN_ROWS, "name": NAME, "code": CREDIT_CODE}


#: Lazy, like the messages above: the language is the reader's, known only when it is shown.
NO_HEADER = lazy(_no_header, str)()
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
# Read and checked cell by cell here (R-ID-1, numbers, dates) or set by the database: the model's
# own field checks would only repeat the work, row after row.
ORGANIZATION_CHECKED = [
    *ORGANIZATION_RELATIONS,
    "credit_code",
    "bureau_managed",
    "established_on",
    "registered_on",
    "status",
    "created_at",
    "updated_at",
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
MEMBER_CHECKED = [
    *MEMBER_RELATIONS,
    "id_number",  # R-ID-2, checked before the model sees it
    "birth_date",
    "certificate_letter_on",
    "joined_party_on",
    "full_membership_due_on",
]

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
#: A month without its day (2018年5月, 2018.05, 2018-5): clerks' sheets often keep dates so.
MONTH_PATTERN = re.compile(r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月?|[-/.]\s*(\d{1,2}))")
INTEGER_PATTERN = re.compile(r"\+?(\d+)(?:\.0*)?")


# --- cell values ------------------------------------------------------------------------------


class _CellError(Exception):
    """A cell that cannot be read; the message names the value."""


def _halfwidth(text: str) -> str:
    """Full-width digits, letters and spaces (typed with a Chinese input method) as ASCII."""
    return unicodedata.normalize("NFKC", text) if text and not text.isascii() else text


def _compact(value) -> str:
    """Header cells and labels: all whitespace dropped (line breaks inside headers are common)."""
    return "".join(_text(value).split())


def _header(value) -> str:
    # A required-field star (*姓名) is a common template habit.
    return _compact(value).strip("*＊")


def _text(value) -> str:
    if value.__class__ is str:  # most cells, and this runs several times for each
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed as a number comes back as 13904310001.0
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    return str(value).strip()


def _not_a_number(value) -> str:
    return gettext("“%(value)s” is not a number. Enter a whole number, such as 12.") % {
        "value": value
    }


def _integer(value) -> int:
    if isinstance(value, bool):
        raise _CellError(_not_a_number(value))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = _compact(value).removesuffix("人").removesuffix("名")
        match = INTEGER_PATTERN.fullmatch(text)
        if not match:
            raise _CellError(_not_a_number(_text(value)))
        number = int(match.group(1))
    if number < 0:
        raise _CellError(gettext("“%(value)s” cannot be negative.") % {"value": number})
    return number


def _date(value, epoch=CALENDAR_WINDOWS_1900) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise _not_a_date(value)
    if isinstance(value, int | float):
        return _serial_date(value, epoch, value)
    text = _text(value)
    if text.isdecimal():  # not isdigit(): "¹" and "①" are digits int() refuses
        if len(text) == 8:  # 20140415
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
        else:
            return _serial_date(int(text), epoch, value)
    match = DATE_PATTERN.fullmatch(text)
    if match:
        parts = [int(part) for part in match.groups()]
    elif month := MONTH_PATTERN.fullmatch(_halfwidth(text)):
        # Only the month is known: the first day of it, as 2018年5月 is read in the ledger.
        year, month_number = month.group(1), month.group(2) or month.group(3)
        parts = [int(year), int(month_number), 1]
    else:
        raise _not_a_date(value)
    try:
        return datetime.date(*parts)
    except ValueError:
        raise _not_a_date(value) from None


def _not_a_date(value) -> _CellError:
    # Built only for a bad cell: most dates are read without a message.
    return _CellError(
        gettext("“%(value)s” is not a valid date. Enter a date such as 2014-04-15.")
        % {"value": _text(value)}
    )


def _serial_date(serial, epoch, value) -> datetime.date:
    """An Excel serial number (41744 is 2014-04-15), as a date column formatted as General
    shows it. Small numbers would be dates in 1900, which no organization has: refused."""
    try:
        moment = from_excel(serial, epoch=epoch)
    except (ValueError, OverflowError, TypeError):
        raise _not_a_date(value) from None
    if not isinstance(moment, datetime.datetime) or not 1901 <= moment.year <= 2099:
        raise _not_a_date(value)
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
