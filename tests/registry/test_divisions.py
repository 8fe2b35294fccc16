"""The national administrative divisions shipped with the product, loaded by `migrate` for the
bureau's region, the district/street matcher and the refresh when codes change. Every test
starts from a database that has only run `migrate`."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from registry.divisions import DistrictMatcher, StreetMatcher, jurisdiction_counties, short_name
from registry.models import District, Division, DivisionLevel, Organization, Street
from registry.services.divisions import COUNTIES_CSV, TOWNSHIPS_CSV, jurisdiction_sync
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def shipped(path) -> dict[str, str]:
    with open(path, encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def counties_of(prefix: str) -> dict[str, str]:
    return {
        code: name
        for code, name in shipped(COUNTIES_CSV).items()
        if code.startswith(prefix) and not code.endswith("00")
    }


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# --- migrate loads the list and the jurisdiction -----------------------------------------------


def test_migrate_loads_every_county_of_the_country_and_the_shipped_townships():
    counties = shipped(COUNTIES_CSV)
    townships = shipped(TOWNSHIPS_CSV)
    county_level = [c for c in counties if not c.endswith("00")]
    assert len(county_level) > 2800  # GB/T 2260: about 2,850 county-level divisions
    assert Division.objects.filter(level=DivisionLevel.COUNTY).count() == len(county_level)
    assert Division.objects.filter(level=DivisionLevel.PROVINCE).count() == sum(
        code.endswith("0000") for code in counties
    )
    assert Division.objects.filter(level=DivisionLevel.TOWNSHIP).count() == len(townships)
    assert Division.objects.get(code="110105").name == "朝阳区"  # Beijing's, not Changchun's
    assert Division.objects.get(code="220102001000").parent_code == "220102"


def test_migrate_makes_the_districts_and_streets_of_the_configured_city(settings):
    assert settings.REGISTRY["REGION_CODE"] == "220100"
    assert dict(District.objects.values_list("code", "name")) == counties_of("2201")
    townships = shipped(TOWNSHIPS_CSV)
    streets = Street.objects.select_related("district")
    assert {s.code: s.name for s in streets} == townships
    assert all(s.district.code == s.code[:6] for s in streets)


def test_jurisdiction_sync_is_idempotent_and_reuses_rows_made_by_name():
    before = (District.objects.count(), Street.objects.count())
    result = jurisdiction_sync(region_code="220100")
    assert (result.districts_created, result.streets_created) == (0, 0)
    assert (District.objects.count(), Street.objects.count()) == before


def test_a_provinces_jurisdiction_is_its_counties_with_shared_names_qualified():
    counties = jurisdiction_counties("210000")  # 辽宁省: two 铁西区 (沈阳, 鞍山)
    assert {c.code for c in counties} == set(counties_of("21"))
    jurisdiction_sync(region_code="210000")
    assert District.objects.get(code="210106").name == "沈阳市铁西区"
    assert District.objects.get(code="210303").name == "鞍山市铁西区"
    assert District.objects.get(code="210102").name == "和平区"
    matcher = DistrictMatcher.for_jurisdiction(District.objects.filter(code__startswith="21"))
    assert matcher.match("鞍山市铁西区").code == "210303"
    assert matcher.match("铁西区") is None  # ambiguous: refused rather than guessed


def test_a_city_without_counties_is_a_district_of_its_own_and_of_its_province():
    assert [c.code for c in jurisdiction_counties("441900")] == ["441900"]  # 东莞市
    in_province = {c.code for c in jurisdiction_counties("440000")}
    assert {"441900", "442000", "440103"} <= in_province  # 东莞市, 中山市, 广州市荔湾区


def test_a_county_bureau_has_one_district():
    assert [c.code for c in jurisdiction_counties("220122")] == ["220122"]


# --- the matcher --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "南关区",
        "南关",
        "长春市南关区",
        "吉林省长春市南关区",
        "长春南关区",
        " 长春市 南关区 ",
        "南关区\u3000",
        "220102",
        "２２０１０２",
        220102.0,
        "220102001000",
    ],
)
def test_a_district_is_found_by_full_or_short_name_with_the_region_before_it_or_by_code(text):
    assert DistrictMatcher.for_jurisdiction().match(text).code == "220102"


@pytest.mark.parametrize("text", ["东城区", "南关街", "长春市", "吉林省", "110101", "2201", ""])
def test_an_unknown_district_is_not_guessed(text):
    assert DistrictMatcher.for_jurisdiction().match(text) is None


def test_allowed_values_name_every_district_of_the_jurisdiction():
    allowed = DistrictMatcher.for_jurisdiction().allowed()
    assert allowed.split("、") == list(counties_of("2201").values())


@pytest.mark.parametrize(
    "text", ["南岭街道", "南岭", "南关区南岭街道", "220102001000", "220102001"]
)
def test_a_street_is_found_by_full_or_short_name_or_code(text):
    nanguan = District.objects.get(code="220102")
    matcher = StreetMatcher(Street.objects.all())
    assert matcher.match(nanguan, text).code == "220102001000"


def test_a_street_named_after_its_county_is_not_cut_short():
    nongan = District.objects.get(code="220122")
    assert StreetMatcher(Street.objects.all()).match(nongan, "农安镇").code == "220122100000"


def test_a_street_code_of_another_district_is_not_found():
    kuancheng = District.objects.get(code="220103")
    assert StreetMatcher(Street.objects.all()).match(kuancheng, "220102001000") is None


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("南关区", "南关"),
        ("农安县", "农安"),
        ("伊通满族自治县", "伊通"),
        ("城区", "城区"),
        ("幸福乡", "幸福"),
    ],
)
def test_short_names(name, short):
    assert short_name(name) == short


# --- refresh when codes change ------------------------------------------------------------------


def refreshed_counties(tmp_path, *, rename=None, drop=(), add=()):
    rows = [
        (code, (rename or {}).get(code, name))
        for code, name in shipped(COUNTIES_CSV).items()
        if code not in drop
    ]
    return write_csv(tmp_path / "counties.csv", ["code", "name"], [*rows, *add])


def update(*args) -> str:
    out = io.StringIO()
    call_command("update_divisions", *args, stdout=out)
    return out.getvalue()


def test_a_renamed_district_keeps_its_organizations_and_history(tmp_path):
    nanguan = District.objects.get(code="220102")
    organization = OrganizationFactory(district=nanguan, street=nanguan.streets.first())
    counties = refreshed_counties(tmp_path, rename={"220102": "南关新区"})

    output = update("--counties", str(counties))

    nanguan.refresh_from_db()
    assert nanguan.name == "南关新区"
    assert Organization.objects.get(pk=organization.pk).district_id == nanguan.pk
    assert list(nanguan.history.values_list("name", flat=True)[:2]) == ["南关新区", "南关区"]
    assert "南关区 → 南关新区" in output
    assert Division.objects.get(code="220102").name == "南关新区"


def test_a_merged_district_moves_its_organizations_and_streets_then_goes(tmp_path):
    nanguan = District.objects.get(code="220102")
    kuancheng = District.objects.get(code="220103")
    street = Street.objects.get(code="220102001000")
    organization = OrganizationFactory(district=nanguan, street=street)
    counties = refreshed_counties(tmp_path, drop={"220102"})
    changes = write_csv(tmp_path / "changes.csv", ["old_code", "new_code"], [("220102", "220103")])

    output = update("--counties", str(counties), "--changes", str(changes))

    organization.refresh_from_db()
    assert organization.district_id == kuancheng.pk
    assert organization.street_id == street.pk
    street.refresh_from_db()
    assert street.district_id == kuancheng.pk
    assert not District.objects.filter(pk=nanguan.pk).exists()
    assert District.history.filter(id=nanguan.pk, history_type="-").exists()
    assert "合并：220102 并入 220103" in output
    assert Division.objects.get(code="220102").is_current is False


def test_a_replaced_code_keeps_the_district_row(tmp_path):
    jiutai = District.objects.get(code="220113")
    organization = OrganizationFactory(district=jiutai, street=None)
    counties = refreshed_counties(tmp_path, drop={"220113"}, add=[("220119", "九台新区")])
    changes = write_csv(tmp_path / "changes.csv", ["old_code", "new_code"], [("220113", "220119")])

    update("--counties", str(counties), "--changes", str(changes))

    jiutai.refresh_from_db()
    assert (jiutai.code, jiutai.name) == ("220119", "九台新区")
    assert Organization.objects.get(pk=organization.pk).district_id == jiutai.pk


def test_a_code_gone_without_a_change_line_is_named_and_kept(tmp_path):
    counties = refreshed_counties(tmp_path, drop={"220184"})
    output = update("--counties", str(counties))
    assert "公主岭市（220184）" in output
    assert District.objects.filter(code="220184").exists()


def test_dry_run_changes_nothing(tmp_path):
    counties = refreshed_counties(tmp_path, rename={"220102": "南关新区"})
    output = update("--counties", str(counties), "--dry-run")
    assert "试运行" in output
    assert District.objects.get(code="220102").name == "南关区"
    assert Division.objects.get(code="220102").name == "南关区"


def test_a_broken_file_is_refused_naming_the_line(tmp_path):
    bad = write_csv(tmp_path / "bad.csv", ["code", "name"], [("220102", "南关区"), ("22AB", "x")])
    with pytest.raises(CommandError, match="第 3 行"):
        update("--counties", str(bad))


def test_after_migrate_missing_rows_come_back_and_a_clerks_name_stays():
    from registry.receivers import install_divisions

    nanguan = District.objects.get(code="220102")
    nanguan.name = "南关区（老城）"
    nanguan.save()
    Street.objects.filter(code="220102001000").delete()

    install_divisions()  # what every `migrate` runs

    assert District.objects.get(code="220102").name == "南关区（老城）"
    assert Street.objects.get(code="220102001000").district_id == nanguan.pk
    assert District.objects.filter(name="南关区").count() == 0
