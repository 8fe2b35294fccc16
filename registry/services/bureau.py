"""The bureau's first-day set-up: its profile (R-REG-5's series), supervisory units, industries."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from ..bureau import bureau_defaults
from ..models import BureauProfile, Industry, SupervisoryUnit
from ..rules import names_a_civil_affairs_unit
from .divisions import SyncResult, jurisdiction_sync

PROFILE_FIELDS = ("authority_name", "region_code", "organization_code_prefix", "ledger_title")


@transaction.atomic
def bureau_profile_save(*, by, **changes) -> tuple[BureauProfile, SyncResult | None]:
    """Set the bureau's name, region code, credit-code series (R-REG-5: authority 5, the type
    digit, the region, then the prefix and a sequence) and ledger title. Fields not given keep
    their stored or configured value. A new region brings its districts and streets."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {', '.join(sorted(unknown))}")
    profile = BureauProfile.objects.select_for_update().filter(pk=1).first()
    previous_region = profile.region_code if profile else None
    if profile is None:
        profile = bureau_defaults()
        profile.pk = 1
    for name, value in changes.items():
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    profile.organization_code_prefix = profile.organization_code_prefix.upper()
    profile.full_clean()
    profile._history_user = by
    profile.save()
    synced = None
    if profile.region_code != previous_region:
        synced = jurisdiction_sync(region_code=profile.region_code, by=by)
    return profile, synced


YES = {"是", "y", "yes", "1", "true", "√"}
NAME_HEADERS = {"名称", "业务主管单位", "业务主管单位名称", "单位名称", "name"}
CIVIL_AFFAIRS_HEADERS = {"是否民政部门", "民政部门", "局管", "is_civil_affairs"}


def _sheet_rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return [
                ["" if cell is None else str(cell).strip() for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        finally:
            workbook.close()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [[cell.strip() for cell in row] for row in csv.reader(handle)]


@dataclass
class UnitsResult:
    created: list[str]
    existing: list[str]


@transaction.atomic
def supervisory_units_import(*, path: Path, by) -> UnitsResult:
    """Supervisory units from a sheet (.xlsx or .csv): a column headed 名称 / 业务主管单位 (or the
    first column), optionally 是否民政部门 (是/否; without it a name with 民政 or 民间组织管理局 is
    taken as the bureau's own unit, whose organizations are bureau-managed). Existing names are
    left as they are."""
    rows = [row for row in _sheet_rows(path) if any(row)]
    if not rows:
        raise ValidationError(gettext("%(file)s is empty.") % {"file": path.name})
    header = ["".join(cell.split()).lower() for cell in rows[0]]
    name_column = next((i for i, h in enumerate(header) if h in NAME_HEADERS), None)
    civil_column = next((i for i, h in enumerate(header) if h in CIVIL_AFFAIRS_HEADERS), None)
    if name_column is None:
        name_column, body = 0, rows  # no header: the first column holds the names
    else:
        body = rows[1:]
    existing_names = set(SupervisoryUnit.objects.values_list("name", flat=True))
    created, existing = [], []
    for number, row in enumerate(body, start=len(rows) - len(body) + 1):
        name = row[name_column] if name_column < len(row) else ""
        if not name:
            continue
        if len(name) > (max_length := SupervisoryUnit._meta.get_field("name").max_length):
            raise ValidationError(
                gettext("%(file)s, row %(row)s: the unit's name is longer than %(max)s characters.")
                % {"file": path.name, "row": number, "max": max_length}
            )
        if name in existing_names:
            existing.append(name)
            continue
        if civil_column is not None and civil_column < len(row) and row[civil_column]:
            civil = row[civil_column].lower() in YES
        else:
            civil = names_a_civil_affairs_unit(name)
        unit = SupervisoryUnit(name=name, is_civil_affairs=civil)
        unit._history_user = by
        unit.save()
        existing_names.add(name)
        created.append(name)
    return UnitsResult(created=created, existing=existing)


@transaction.atomic
def industries_add(*, names: list[str], by) -> list[str]:
    """Add industries (行业) by name, after the existing ones; returns the names added."""
    added = []
    top = max(Industry.objects.values_list("sort_order", flat=True), default=0)
    for name in (n.strip() for n in names):
        if not name or Industry.objects.filter(name=name).exists():
            continue
        top += 10
        code = slugify(name) or f"industry-{top}"
        if Industry.objects.filter(code=code).exists():
            code = f"industry-{top}"
        industry = Industry(code=code, name=name, sort_order=top)
        industry.full_clean()
        industry._history_user = by
        industry.save()
        added.append(name)
    return added
