"""The Party-building ledger (台账) as an Excel workbook, written row by row.

One builder for the admin action, the download view and `export_ledger`. It takes rows from
`ledger.selectors.ledger_rows` (chunks of tuples, read ahead while the previous ones are written:
memory stays flat at any size) and writes with XlsxWriter in constant-memory mode. Every text
cell is written as a string, never as a formula, so a name such as =HYPERLINK(…) stays text.
No unmasked ID numbers are ever part of it; phone numbers are masked unless the user the
ledger is written for may see them (a command run by the operator writes them in full)."""

import datetime
import gc
from collections.abc import Callable
from contextlib import contextmanager
from operator import itemgetter

from django.conf import settings
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from core import calendar
from core.identity import can_see_phones, mask_phone
from core.spreadsheets import Column, formats, open_workbook, write_lines, write_text

from .choices import FormationMode, PartyBuildingStatus
from .ledger.selectors import LEDGER_EXTENSIONS, LEDGER_FIELDS, LedgerRows

#: The ledger sheet's name and its column headers are the file format: the import finds the
#: sheet and reads its columns back by them, so they are the same in every language.
LEDGER_SHEET = "党建工作台账"
SUMMARY_SHEET = _("Summary")


COLUMNS = [
    Column("序号", None, 6, "number"),
    Column("社会组织名称", "name", 34, basic=True),
    Column("统一社会信用代码", "credit_code", 21, basic=True),
    Column("组织类型", "organization_type_label", 14, basic=True),
    Column("行业类别", "industry__name", 9, basic=True),
    Column("业务主管单位", "supervisory_unit__name", 26, basic=True),
    Column("法定代表人", "legal_representative", 10, basic=True),
    Column("联系人", "contact_person", 10, basic=True),
    Column("联系电话", "contact_phone", 15, basic=True),
    Column("所属区", "district__name", 9, basic=True),
    Column("所属街道", "street__name", 11, basic=True),
    Column("专职人员数", "full_time_staff", 8, "number", basic=True),
    Column("成立日期", "established_on", 11, "date", basic=True),
    Column("登记日期", "registered_on", 11, "date", basic=True),
    Column("正式党员数", "full_members", 8, "number"),
    Column("预备党员数", "probationary_members", 8, "number"),
    Column("计入党建条件党员数", "counted_members", 10, "number"),
    Column("党组织名称", "party_organization_name", 30),
    Column("组建方式", "party_organization_mode_label", 12),
    Column("党建指导员", "instructor_name", 10),
    Column("党建状态", "party_building_status_label", 14),
    Column("组织覆盖", "organization_covered", 8, "flag"),
    Column("工作覆盖", "work_covered", 8, "flag"),
    Column("提示", "warning", 16),
]
HEADERS = [column.header for column in COLUMNS]
assert {c.field for c in COLUMNS if c.field} <= set(LEDGER_FIELDS) | {
    "organization_type_label",
    "party_organization_mode_label",
    "party_building_status_label",
    "warning",
}


def _labels(choices):
    return {value: str(label) for value, label in choices.choices}


def ledger_columns() -> list[Column]:
    """The base columns plus those other apps registered (最近年检结论 …)."""
    return COLUMNS + [Column(e.header, e.field, e.width) for e in LEDGER_EXTENSIONS]


def ledger_headers() -> list[str]:
    return [column.header for column in ledger_columns()]


def display_labels() -> tuple[dict, dict, dict]:
    from registry.choices import OrganizationType

    return _labels(OrganizationType), _labels(FormationMode), _labels(PartyBuildingStatus)


def cell_text(column: Column, value) -> str:
    """A cell as text, for the ledger page (the workbook keeps numbers and dates typed)."""
    if value is None or value == "":
        return ""
    if column.kind == "flag":
        return gettext("Yes") if value else gettext("No")
    if column.kind == "date":
        return value.strftime("%Y-%m-%d")
    return str(value)


def prepare_row(row: dict, type_labels: dict, mode_labels: dict, status_labels: dict) -> dict:
    """Turn a ledger row (a dict of `ledger_rows`) into display values (labels, the 应单独组建
    warning); its extension columns hold their cell text already."""
    row["organization_type_label"] = type_labels.get(row["organization_type"], "")
    row["party_organization_mode_label"] = mode_labels.get(row["party_organization_mode"], "")
    row["party_building_status_label"] = status_labels.get(row["party_building_status"], "")
    row["warning"] = gettext("Should build its own") if row["should_build_own_warning"] else ""
    for extension in LEDGER_EXTENSIONS:
        row.setdefault(extension.field, "")  # a row made by hand (demo.ledger_sample) has none
    return row


# The label columns of the workbook and the raw field each one shows.
LABELLED = {
    "organization_type_label": "organization_type",
    "party_organization_mode_label": "party_organization_mode",
    "party_building_status_label": "party_building_status",
    "warning": "should_build_own_warning",
}


def _lines_from_chunks(rows: LedgerRows, labels: tuple[dict, dict, dict], mask_phones: bool):
    """Ledger lines (values in the order of ledger_columns()[1:]) from the selector's chunks of
    tuples: one C-level pick of the base columns, then the four labels and the extensions."""
    sources = [LABELLED.get(column.field, column.field) for column in COLUMNS[1:]]
    pick = itemgetter(*[LEDGER_FIELDS.index(source) for source in sources])
    type_labels, mode_labels, status_labels = labels
    at = [sources.index(LABELLED[name]) for name in LABELLED]
    type_at, mode_at, status_at, warning_at = at
    warning = gettext("Should build its own")
    phone_at = sources.index("contact_phone")
    for batch, texts in rows.chunks(prefetch=True):
        for row in batch:
            line = list(pick(row))
            line[type_at] = type_labels.get(line[type_at])
            line[mode_at] = mode_labels.get(line[mode_at])
            line[status_at] = status_labels.get(line[status_at])
            line[warning_at] = warning if line[warning_at] else None
            if mask_phones:
                line[phone_at] = mask_phone(line[phone_at])
            pk = row[0]
            line.extend([extension_texts.get(pk) for extension_texts in texts])
            yield line


def write_ledger(
    target,
    rows: LedgerRows,
    *,
    title: str,
    summary: dict | None = None,
    as_of: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
    user=None,
) -> int:
    """Write the ledger to `target` (a path or a binary file object); return the row count.
    `rows` is `ledger.selectors.ledger_rows(…)`, written from its chunks.
    `progress(rows_written)` is called every few thousand rows (a background export's bar).
    `user` is whom it is for: phones are masked unless they hold registry.view_contact_phone;
    None (the export_ledger command, run by the operator) writes them in full."""
    mask_phones = user is not None and not can_see_phones(user)
    with _objects_alive_now_not_collected():
        return _write_ledger(target, rows, title, summary, as_of, progress, mask_phones)


@contextmanager
def _objects_alive_now_not_collected():
    """A million rows allocate tens of millions of objects; the collector then rescans all the
    process holds (Django, the apps) again and again. What is alive before the export is
    left out of its scans (gc.freeze) unless something else has frozen objects already."""
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()


def _write_ledger(target, rows, title, summary, as_of, progress, mask_phones) -> int:
    labels = display_labels()
    as_of = as_of or calendar.today()
    lines = _lines_from_chunks(rows, labels, mask_phones)
    workbook = open_workbook(target)
    try:
        styles = formats(workbook)
        count = write_lines(
            workbook,
            styles,
            sheet_name=LEDGER_SHEET,
            title=gettext("%(title)s (as of %(year)s-%(month)s-%(day)s)")
            % {"title": title, **_date_parts(as_of)},
            columns=ledger_columns(),
            lines=lines,
            progress=progress,
            # The selector's chunks hold nothing but str in text columns: no conversion.
            strings=True,
        )
        if summary is not None:
            _write_summary(workbook, summary, title, as_of, styles)
    finally:
        workbook.close()
    return count


def _summary_lines() -> list[tuple[str, str]]:
    # The condition lines name the threshold the rule applies (R-PB-2), from the settings.
    minimum = settings.PARTY_BUILDING["STANDALONE_MIN_MEMBERS"]
    condition_lines = [
        (
            gettext("Able to build their own organization (%(minimum)d or more)")
            % {"minimum": minimum},
            "standalone_condition",
        ),
        (
            gettext("To join a joint organization (1 to %(most)d)") % {"most": minimum - 1},
            "joint_candidates",
        ),
    ]
    return SUMMARY_LINES[:2] + condition_lines + SUMMARY_LINES[2:]


def _date_parts(day: datetime.date) -> dict:
    return {"year": f"{day:%Y}", "month": f"{day:%m}", "day": f"{day:%d}"}


SUMMARY_LINES = [
    (_("Social organizations in all"), "organizations"),
    (_("Eligible for Party building (with counted members)"), "eligible"),
    (_("To receive a dispatched instructor (no members)"), "needs_dispatch"),
    (_("Number of Party organizations"), "party_organizations"),
    (_("Should build but has not"), "should_build_not_built"),
    (_("Built jointly but should build its own"), "should_build_own_warning"),
    (_("Organizations covered"), "organization_coverage"),
    (_("Organization coverage rate"), "organization_coverage_rate"),
    (_("Organizations with work coverage"), "work_coverage"),
    (_("Work coverage rate"), "work_coverage_rate"),
]
MODE_LINES = [
    (FormationMode(mode).label, mode)
    for mode in (
        FormationMode.STANDALONE,
        FormationMode.JOINT,
        FormationMode.LEAD,
        FormationMode.DISPATCHED,
    )
]


def _write_summary(workbook, summary, title, as_of, formats):
    sheet = workbook.add_worksheet(str(SUMMARY_SHEET))
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 6, 12)
    title_line = gettext("%(title)s summary (as of %(year)s-%(month)s-%(day)s)")
    sheet.write_string(0, 0, title_line % {"title": title, **_date_parts(as_of)}, formats["title"])
    line = 2
    for label, key in _summary_lines():
        sheet.write_string(line, 0, str(label))
        _write_figure(sheet, line, 1, key, summary[key], formats)
        line += 1
    line += 1
    sheet.write_string(line, 0, gettext("Party organizations by formation mode"), formats["bold"])
    line += 1
    for label, key in MODE_LINES:
        sheet.write_string(line, 0, str(label))
        sheet.write_number(line, 1, summary["by_formation_mode"][key])
        line += 1
    headers = [
        gettext("Social organizations"),
        pgettext("summary table header", "Eligible"),
        gettext("Should build but has not"),
        gettext("Organization coverage"),
        gettext("Organization coverage rate"),
        gettext("Work coverage rate"),
    ]
    for heading, key in (
        (gettext("By industry"), "by_industry"),
        (gettext("By district"), "by_district"),
    ):
        line += 1
        for index, text in enumerate([heading, *headers]):
            sheet.write_string(line, index, text, formats["header"])
        line += 1
        for group in summary[key]:
            write_text(sheet, line, 0, group["name"] or gettext("(not filled in)"), formats)
            for index, field in enumerate(
                ["organizations", "eligible", "should_build_not_built", "organization_coverage"],
                start=1,
            ):
                sheet.write_number(line, index, group[field])
            sheet.write_number(line, 5, group["organization_coverage_rate"], formats["percent"])
            sheet.write_number(line, 6, group["work_coverage_rate"], formats["percent"])
            line += 1


def _write_figure(sheet, line, col, key, value, formats):
    if key.endswith("_rate"):
        sheet.write_number(line, col, value, formats["percent"])
    else:
        sheet.write_number(line, col, value)
