"""Writes of the administrative divisions: the national list shipped with the product, the
bureau's districts and streets made from it, and the refresh when codes change.

The list lives in registry/data/divisions/ (see the README there for its source and date):
`counties.csv` (GB/T 2260: provinces, prefectures, counties) and `townships.csv` (the
statistics bureau's 12-digit codes of townships and streets)."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from ..divisions import jurisdiction_counties, short_name
from ..models import District, Division, DivisionLevel, Street

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "divisions"
COUNTIES_CSV = DATA_DIR / "counties.csv"
TOWNSHIPS_CSV = DATA_DIR / "townships.csv"


class DivisionFileError(ValueError):
    """A divisions file that cannot be read, with the line that is wrong."""


def _level_and_parent(code: str) -> tuple[str, str]:
    if len(code) == 12:
        return DivisionLevel.TOWNSHIP, code[:6]
    if code.endswith("0000"):
        return DivisionLevel.PROVINCE, ""
    if code.endswith("00"):
        return DivisionLevel.PREFECTURE, code[:2] + "0000"
    return DivisionLevel.COUNTY, code[:4] + "00"


def read_divisions(path: Path) -> dict[str, str]:
    """code → name from a `code,name` CSV (UTF-8, header row). Codes of 6 digits (GB/T 2260)
    or 12 (townships; 9 digits are padded with 000)."""
    rows: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"code", "name"} <= set(reader.fieldnames):
                raise DivisionFileError(
                    gettext("%(file)s: row 1 should be the header code,name.") % {"file": path}
                )
            for number, row in enumerate(reader, start=2):
                code = "".join((row.get("code") or "").split())
                name = "".join((row.get("name") or "").split())
                if len(code) == 9:
                    code += "000"
                if not code.isdigit() or len(code) not in (6, 12) or not name:
                    raise DivisionFileError(
                        gettext(
                            "%(file)s, row %(row)s: the code “%(code)s” or the name “%(name)s” "
                            "is not valid (a code has 6 or 12 digits)."
                        )
                        % {"file": path, "row": number, "code": code, "name": name}
                    )
                rows[code] = name
    except OSError as error:
        raise DivisionFileError(
            gettext("Cannot read %(file)s: %(error)s.") % {"file": path, "error": error.strerror}
        ) from error
    return rows


@dataclass
class LoadResult:
    created: int = 0
    renamed: int = 0
    retired: int = 0


@transaction.atomic
def divisions_load(*, counties: Path = COUNTIES_CSV, townships: Path = TOWNSHIPS_CSV) -> LoadResult:
    """Bring the national list in line with the files: new codes added, changed names updated,
    codes no longer listed kept but marked not current. Townships are kept for the counties the
    township file covers; other counties' townships are left as they are."""
    wanted = {**read_divisions(counties), **read_divisions(townships)}
    covered_counties = {code[:6] for code in wanted if len(code) == 12}
    result = LoadResult()
    existing = {division.code: division for division in Division.objects.all()}
    new, changed = [], []
    for code, name in wanted.items():
        division = existing.get(code)
        if division is None:
            level, parent = _level_and_parent(code)
            new.append(Division(code=code, name=name, level=level, parent_code=parent))
        elif division.name != name or not division.is_current:
            result.renamed += division.name != name
            division.name, division.is_current = name, True
            changed.append(division)
    for code, division in existing.items():
        listed = len(code) == 6 or code[:6] in covered_counties
        if listed and code not in wanted and division.is_current:
            division.is_current = False
            changed.append(division)
            result.retired += 1
    Division.objects.bulk_create(new, batch_size=1000)
    Division.objects.bulk_update(changed, ["name", "is_current"], batch_size=1000)
    result.created = len(new)
    return result


@dataclass
class SyncResult:
    districts_created: int = 0
    districts_renamed: list[tuple[str, str]] = field(default_factory=list)
    streets_created: int = 0
    streets_renamed: list[tuple[str, str]] = field(default_factory=list)


def _district_names(counties: list[Division]) -> dict[str, str]:
    """code → the name a district goes by. Names are unique among districts, so a county whose
    name another county of the jurisdiction shares (a province's two 铁西区) is qualified by its
    prefecture: 四平市铁西区."""
    counts: dict[str, int] = {}
    for county in counties:
        counts[county.name] = counts.get(county.name, 0) + 1
    prefectures = dict(
        Division.objects.filter(code__in={county.parent_code for county in counties}).values_list(
            "code", "name"
        )
    )
    return {
        county.code: (
            f"{prefectures.get(county.parent_code, '')}{county.name}"
            if counts[county.name] > 1
            else county.name
        )
        for county in counties
    }


@transaction.atomic
def jurisdiction_sync(*, region_code: str, by=None, rename: bool = True) -> SyncResult:
    """Make the districts and streets of the bureau's jurisdiction from the national list
    (idempotent). A district or street is found by its code, else by its name (a row a clerk or
    the demo made without a code gets the code); with `rename`, one whose code now carries
    another name is renamed in place, so its organizations and history stay with it. (After
    `migrate` nothing is renamed: a name a clerk chose stays until `update_divisions`.)"""
    result = SyncResult()
    counties = jurisdiction_counties(region_code)
    names = _district_names(counties)
    districts = list(District.objects.all())
    by_code = {d.code: d for d in districts if d.code}
    by_name = {d.name: d for d in districts}
    new_districts = []
    for county in counties:
        name = names[county.code]
        district = by_code.get(county.code)
        if district is None:
            district = by_name.get(name)
            if district is not None and district.code:
                continue  # the name belongs to another code: leave both to the clerk
            if district is None:
                district = District(name=name, code=county.code)
                new_districts.append(district)
                by_name[name] = district
                continue
            district.code = county.code
            _save(district, by)
        elif rename and district.name != name and name not in by_name:
            result.districts_renamed.append((district.name, name))
            del by_name[district.name]
            district.name = name
            by_name[name] = district
            _save(district, by)
    if new_districts:
        bulk_create_with_history(new_districts, District, default_user=by)
        result.districts_created = len(new_districts)
        # Read the keys back: the streets below need them on every database.
        new_districts = list(District.objects.filter(code__in=[d.code for d in new_districts]))

    district_of = {county.code: by_code.get(county.code) for county in counties}
    district_of.update({d.code: d for d in new_districts})
    for code, district in list(district_of.items()):
        if district is None:
            district_of[code] = District.objects.filter(code=code).first()
    _sync_streets(district_of, result, by, rename)
    return result


def _sync_streets(
    district_of: dict[str, District | None], result: SyncResult, by, rename: bool
) -> None:
    townships = Division.objects.filter(
        level=DivisionLevel.TOWNSHIP, parent_code__in=list(district_of), is_current=True
    )
    streets = list(Street.objects.filter(district__in=[d for d in district_of.values() if d]))
    by_code = {s.code: s for s in streets if s.code}
    by_name = {(s.district_id, s.name): s for s in streets}
    new_streets = []
    for township in townships:
        district = district_of.get(township.parent_code)
        if district is None:
            continue
        street = by_code.get(township.code)
        if street is None:
            street = by_name.get((district.pk, township.name))
            if street is None:
                new_streets.append(
                    Street(district=district, name=township.name, code=township.code)
                )
                by_name[(district.pk, township.name)] = new_streets[-1]
            elif not street.code:
                street.code = township.code
                _save(street, by)
            continue
        moved = street.district_id != district.pk
        changed = street.name != township.name or moved
        if rename and changed and (district.pk, township.name) not in by_name:
            result.streets_renamed.append((street.name, township.name))
            street.name, street.district = township.name, district
            _save(street, by)
    if new_streets:
        bulk_create_with_history(new_streets, Street, default_user=by)
        result.streets_created = len(new_streets)


def _save(instance, by) -> None:
    instance._history_user = by
    instance.save()


@dataclass
class RefreshResult:
    load: LoadResult
    sync: SyncResult
    recoded: list[tuple[str, str]] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)


def read_changes(path: Path) -> list[tuple[str, str]]:
    """(old code, new code) pairs from an `old_code,new_code` CSV: a district whose code was
    replaced (九台市 220181 → 九台区 220113) or that was merged into another."""
    pairs = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"old_code", "new_code"} <= set(reader.fieldnames):
            raise DivisionFileError(
                gettext("%(file)s: row 1 should be the header old_code,new_code.") % {"file": path}
            )
        for number, row in enumerate(reader, start=2):
            old, new = (("".join((row.get(k) or "").split())) for k in ("old_code", "new_code"))
            if not (old.isdigit() and new.isdigit() and len(old) == len(new) == 6):
                raise DivisionFileError(
                    gettext("%(file)s, row %(row)s: the codes have 6 digits.")
                    % {"file": path, "row": number}
                )
            pairs.append((old, new))
    return pairs


@transaction.atomic
def divisions_refresh(
    *,
    region_code: str,
    counties: Path = COUNTIES_CSV,
    townships: Path = TOWNSHIPS_CSV,
    changes: list[tuple[str, str]] = (),
    by=None,
) -> RefreshResult:
    """Refresh the national list and the jurisdiction after codes changed. A renamed district
    keeps its row (organizations, streets and history stay); a district whose code was replaced
    takes the new code and name; a district merged into another moves its organizations, streets
    and every other record to it and is then removed (its history remains)."""
    load = divisions_load(counties=counties, townships=townships)
    current = dict(Division.objects.filter(is_current=True).values_list("code", "name"))
    recoded, merged = [], []
    for old_code, new_code in changes:
        old = District.objects.filter(code=old_code).first()
        if old is None:
            continue
        target = District.objects.filter(code=new_code).first()
        if target is None:
            old.code = new_code
            old.name = current.get(new_code, old.name)
            _save(old, by)
            recoded.append((old_code, new_code))
        else:
            district_merge(source=old, target=target, by=by)
            merged.append((old_code, new_code))
    sync = jurisdiction_sync(region_code=region_code, by=by)
    obsolete = [
        f"{d.name}（{d.code}）"
        for d in District.objects.exclude(code="").order_by("code")
        if d.code not in current
    ]
    return RefreshResult(load=load, sync=sync, recoded=recoded, merged=merged, obsolete=obsolete)


def _repoint(old, new, by) -> None:
    """Every record pointing at `old` points at `new`; models with history record the change."""
    for relation in old._meta.related_objects:
        model = relation.related_model
        if not (relation.one_to_many or relation.one_to_one):
            continue
        rows = model._default_manager.filter(**{relation.field.name: old})
        if hasattr(model, "history"):
            for row in rows:
                setattr(row, relation.field.name, new)
                _save(row, by)
        else:
            rows.update(**{relation.field.name: new})


@transaction.atomic
def district_merge(*, source: District, target: District, by=None) -> None:
    """Merge `source` into `target` (区划合并): streets of the same name become one, everything
    else moves over; `source` is then deleted, its history kept."""
    target_streets = {street.name: street for street in target.streets.all()}
    for street in list(source.streets.all()):
        same = target_streets.get(street.name) or target_streets.get(short_name(street.name))
        if same is None:
            street.district = target
            _save(street, by)
        else:
            _repoint(street, same, by)
            street._history_user = by
            street.delete()
    _repoint(source, target, by)
    source._history_user = by
    source.delete()
