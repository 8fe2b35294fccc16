"""Generated ledger workbooks for the import benchmark and the large import tests.

`write_sample_ledger` writes N valid organizations (and, optionally, Party members) in the
exported ledger's layout, using the districts, streets and industries already stored, so the
workbook imports cleanly into the same database. Deterministic: row n is always the same."""

from __future__ import annotations

import datetime
from itertools import cycle

from stdnum.cn import ric

from core.spreadsheets import Column, formats, open_workbook, write_table
from partybuilding.exports import LEDGER_SHEET, display_labels, ledger_columns, prepare_row
from partybuilding.ledger.selectors import LEDGER_FIELDS
from registry.credit_codes import make_credit_code
from registry.models import District, Industry, Street

MEMBER_SHEET = "党员名册"
MEMBER_COLUMNS = [
    Column("序号", None, 6, "number"),
    Column("姓名", "name", 10),
    Column("身份证号", "id_number", 21),
    Column("所在社会组织统一社会信用代码", "code", 21),
    Column("党员类别", "status", 10),
    Column("人员类型", "role", 10),
    Column("组织关系", "relationship", 10),
    Column("证明信日期", "certificate_letter_on", 11, "date"),
    Column("入党日期", "joined_party_on", 11, "date"),
    Column("转正日期", "full_membership_due_on", 11, "date"),
]
TYPES = [("2", "private_non_enterprise"), ("1", "social_group"), ("3", "foundation")]
UNITS = ["长春市民政局", "", "长春市卫生健康委员会", "长春市科学技术协会"]
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["建国", "晓梅", "志刚", "丽华", "国华", "文", "海燕", "立新"]
# The ledger's Party-building columns, empty: a sample ledger of organizations without members.
EMPTY_PARTY_COLUMNS = dict.fromkeys(LEDGER_FIELDS[LEDGER_FIELDS.index("full_members") :])


def sample_credit_code(number: int, prefix: str = "BM") -> str:
    """The credit code of sample organization `number` (its type cycles through TYPES)."""
    return make_credit_code(
        type_digit=TYPES[number % len(TYPES)][0],
        region="220100",
        organization_code_body=f"{prefix}{number:06d}",
    )


def sample_id_number(number: int) -> str:
    """A valid resident ID number (R-ID-2), distinct for every number below 36,000,000."""
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=number // 1000)
    body = f"220104{birth:%Y%m%d}{number % 1000:03d}"
    return body + ric.calc_check_digit(body + "X")  # stdnum ignores the last character


def sample_rows(count: int, *, start: int = 0, prefix: str = "BM", changes=None):
    """Ledger rows (as `selectors.ledger_rows` yields them) of `count` organizations;
    `changes` maps a row's number (from `start`) to values that replace the generated ones."""
    changes = changes or {}
    districts = {d.pk: d.name for d in District.objects.all()}
    places = cycle(
        [(districts[s.district_id], s.name) for s in Street.objects.all()]
        or [(name, None) for name in districts.values()]
    )
    industries = cycle(Industry.objects.values_list("name", flat=True))
    extensions = _extension_fields()
    for number in range(start, start + count):
        organization_type = TYPES[number % len(TYPES)][1]
        district, street = next(places)
        established = datetime.date(2000, 1, 1) + datetime.timedelta(days=number % 7000)
        yield {
            "pk": number,
            "name": f"长春市样本社会组织{number:07d}",
            "credit_code": sample_credit_code(number, prefix),
            "organization_type": organization_type,
            "industry__name": next(industries),
            "supervisory_unit__name": UNITS[number % len(UNITS)] or None,
            "legal_representative": SURNAMES[number % 10] + GIVEN[number % 8],
            "contact_person": SURNAMES[(number // 10) % 10] + GIVEN[(number // 8) % 8],
            "contact_phone": f"139{number % 100_000_000:08d}",
            "district__name": district,
            "street__name": street,
            "full_time_staff": number % 40,
            "established_on": established,
            "registered_on": established + datetime.timedelta(days=30),
            **EMPTY_PARTY_COLUMNS,
            **extensions,
            **changes.get(number, {}),
        }


def _extension_fields() -> dict:
    from partybuilding.ledger.selectors import LEDGER_EXTENSIONS

    return {name: None for extension in LEDGER_EXTENSIONS for name in extension.fields}


def sample_members(count: int, organizations: int, *, start: int = 0, prefix: str = "BM"):
    """`count` Party members spread over the first `organizations` sample organizations."""
    for number in range(start, start + count):
        owner = start + (number - start) % organizations
        probationary = number % 7 == 0
        yield {
            "name": SURNAMES[number % 10] + GIVEN[number % 8],
            "id_number": sample_id_number(number),
            "code": sample_credit_code(owner, prefix),
            "status": "预备党员" if probationary else "正式党员",
            "role": ["专职", "兼职", "志愿者", "服务对象"][number % 4],
            "relationship": ["已转入", "流动党员", "在其他单位"][number % 3],
            "certificate_letter_on": datetime.date(2018, 3, 1) if number % 3 == 1 else None,
            "joined_party_on": datetime.date(2005, 7, 1),
            "full_membership_due_on": datetime.date(2027, 7, 1) if probationary else None,
        }


def write_sample_ledger(
    target, count: int, *, members: int = 0, start: int = 0, prefix: str = "BM", changes=None
) -> int:
    """Write `count` organizations (and `members` Party members) to `target`; returns `count`.
    The first organization is on Excel row 3 (a title row, then the header)."""
    labels = display_labels()
    workbook = open_workbook(target)
    try:
        styles = formats(workbook)
        write_table(
            workbook,
            styles,
            sheet_name=LEDGER_SHEET,
            title="样本台账",
            columns=ledger_columns(),
            rows=(
                prepare_row(row, *labels)
                for row in sample_rows(count, start=start, prefix=prefix, changes=changes)
            ),
        )
        if members:
            write_table(
                workbook,
                styles,
                sheet_name=MEMBER_SHEET,
                title="党员名册",
                columns=MEMBER_COLUMNS,
                rows=sample_members(members, count, start=start, prefix=prefix),
            )
    finally:
        workbook.close()
    return count
