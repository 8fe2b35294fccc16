"""Reads of the administrative divisions: the bureau's jurisdiction and the matcher that finds a
district or street by the names and codes clerks actually type.

A sheet names a district as 南关区, 南关, 长春市南关区, 吉林省长春市南关区, ２２０１０２ or 220102
(and a street as 南岭街道, 南岭 or its 12-digit code): all of these are the same district."""

import re
import unicodedata
from collections.abc import Iterable

from .models import District, Division, DivisionLevel, Street

# Longest first: 自治县 before 县.
_SUFFIXES = (
    "特别行政区",
    "自治州",
    "自治县",
    "自治旗",
    "街道办事处",
    "街道",
    "地区",
    "林区",
    "矿区",
    "新区",
    "县",
    "区",
    "市",
    "旗",
    "盟",
    "镇",
    "乡",
    "州",
)
# 伊通满族自治县 → 伊通, 长白朝鲜族自治县 → 长白: the ethnic names before 自治 go with the suffix.
_ETHNIC = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,6}?族)+自治[县旗州]$")


def normalize(text) -> str:
    """Full-width to half-width (NFKC), every kind of space dropped."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)  # a code typed as a number comes back as 220102.0
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def short_name(name: str) -> str:
    """The usual short form (简称) of a division's full name (全称): 南关区 → 南关,
    农安县 → 农安, 伊通满族自治县 → 伊通, 南岭街道 → 南岭. A name that would shrink below two
    characters stays whole (城区, 矿区, 郊区 have no short form)."""
    match = _ETHNIC.match(name)
    if match:
        return match.group(1)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def jurisdiction_counties(region_code: str) -> list[Division]:
    """The county-level divisions a bureau of `region_code` registers in: a province's counties
    (and county-level cities), a prefecture's, or the county itself. A prefecture-level city
    without counties (东莞市) is its own single district."""
    region = Division.objects.filter(code=region_code).first()
    if region is None:
        return []
    if region.level == DivisionLevel.COUNTY:
        return [region]
    width = 2 if region.level == DivisionLevel.PROVINCE else 4
    counties = list(
        Division.objects.filter(
            level=DivisionLevel.COUNTY, code__startswith=region_code[:width], is_current=True
        )
    )
    if not counties and region.level == DivisionLevel.PREFECTURE:
        return [region]
    if region.level == DivisionLevel.PROVINCE:
        with_counties = {county.code[:4] for county in counties}
        counties += [
            city
            for city in Division.objects.filter(
                level=DivisionLevel.PREFECTURE, code__startswith=region_code[:2], is_current=True
            )
            if city.code[:4] not in with_counties
        ]
        counties.sort(key=lambda division: division.code)
    return counties


def region_prefixes(region_code: str) -> list[str]:
    """Names a clerk may write before a district's name: the region's, its province's and, for a
    province, each prefecture's, each in full and short form (吉林省, 吉林, 长春市, 长春)."""
    codes = {region_code, region_code[:2] + "0000"}
    query = Division.objects.filter(code__in=codes)
    if region_code.endswith("0000"):
        query = Division.objects.filter(code__in=codes) | Division.objects.filter(
            level=DivisionLevel.PREFECTURE, code__startswith=region_code[:2]
        )
    names = set()
    for name in query.values_list("name", flat=True):
        names.update({name, short_name(name)})
    return sorted(names, key=len, reverse=True)


class DistrictMatcher:
    """Finds a district of the jurisdiction by code, full name, short name, or either with the
    region's names before it. Built once per import from the districts already loaded."""

    def __init__(self, districts: Iterable[District], *, prefixes: Iterable[str] = ()):
        self.districts = sorted(districts, key=lambda d: (d.kind, d.code or "~", d.name))
        self.prefixes = sorted(set(prefixes), key=len, reverse=True)
        self._by_code: dict[str, District] = {}
        self._by_name: dict[str, District] = {}
        by_short: dict[str, set] = {}
        for district in self.districts:
            name = normalize(district.name)
            self._by_name[name] = district
            if district.code:
                self._by_code[district.code] = district
            by_short.setdefault(short_name(name), set()).add(district)
        # A short form two districts share (a province's two 铁西区) names neither.
        self._by_short = {
            key: next(iter(found))
            for key, found in by_short.items()
            if len(found) == 1 and key not in self._by_name
        }

    @classmethod
    def for_jurisdiction(cls, districts: Iterable[District] | None = None) -> "DistrictMatcher":
        from .bureau import bureau

        if districts is None:
            districts = District.objects.all()
        return cls(districts, prefixes=region_prefixes(bureau().region_code))

    def match(self, text) -> District | None:
        value = normalize(text)
        if not value:
            return None
        if value.isdigit():
            # A county's 6 digits, or a township's 9 or 12 naming the county it lies in.
            return self._by_code.get(value[:6]) if len(value) in (6, 9, 12) else None
        for candidate in self._candidates(value):
            found = self._by_name.get(candidate) or self._by_short.get(candidate)
            if found is None:
                found = self._by_short.get(short_name(candidate))
            if found is not None:
                return found
        return None

    def _candidates(self, value: str) -> list[str]:
        """The text, then the text with each leading region name removed in turn."""
        candidates = [value]
        changed = True
        while changed:
            changed = False
            for prefix in self.prefixes:
                if value.startswith(prefix) and len(value) > len(prefix):
                    value = value[len(prefix) :]
                    candidates.append(value)
                    changed = True
                    break
        return candidates

    def allowed(self) -> str:
        """The districts' names, for a message that refuses an unknown one."""
        return "、".join(district.name for district in self.districts)


class StreetMatcher:
    """Finds a street of a district by its 12-digit (or 9-digit) code, full or short name,
    written alone or after the district's name (南关区南岭街道)."""

    def __init__(self, streets: Iterable[Street]):
        self._by_code: dict[str, Street] = {}
        self._by_name: dict[tuple[int, str], Street] = {}
        by_short: dict[tuple[int, str], set] = {}
        self._district_names: dict[int, list[str]] = {}
        for street in streets:
            name = normalize(street.name)
            self._by_name[(street.district_id, name)] = street
            by_short.setdefault((street.district_id, short_name(name)), set()).add(street)
            if street.code:
                self._by_code[street.code] = street
        self._by_short = {
            key: next(iter(found))
            for key, found in by_short.items()
            if len(found) == 1 and key not in self._by_name
        }

    def add(self, street: Street) -> None:
        """A street created during the import, so later rows naming it find it."""
        self._by_name[(street.district_id, normalize(street.name))] = street

    def match(self, district: District, text) -> Street | None:
        value = normalize(text)
        if not value:
            return None
        if value.isdigit():
            street = self._by_code.get(value + "000" if len(value) == 9 else value)
            return street if street is not None and street.district_id == district.pk else None
        district_name = normalize(district.name)
        candidates = [value]  # 农安镇 of 农安县 is a street's own name, tried before 镇
        for prefix in (district_name, short_name(district_name)):
            if value.startswith(prefix) and len(value) > len(prefix):
                candidates.append(value[len(prefix) :])
                break
        for candidate in candidates:
            key = (district.pk, candidate)
            street = (
                self._by_name.get(key)
                or self._by_short.get(key)
                or self._by_short.get((district.pk, short_name(candidate)))
            )
            if street is not None:
                return street
        return None
