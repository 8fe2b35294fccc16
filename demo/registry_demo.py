"""The registry part of the Changchun demo: divisions, supervisory units, 71 organizations."""

import datetime

from registry.bureau import bureau
from registry.credit_codes import TYPE_DIGITS, make_credit_code
from registry.models import District, Industry, Organization, Street, SupervisoryUnit
from registry.services import divisions_import, organization_create

from . import orgdata
from .clock import history_dated

FUNCTIONAL_ZONES = ("高新区", "经开区", "净月高新区", "汽开区")


def credit_code_of(row: dict) -> str:
    return make_credit_code(
        type_digit=TYPE_DIGITS[row["type"]],
        region=bureau().region_code,
        organization_code_body=row["org_code_body"],
    )


def seed_registry(*, by, skip=frozenset()) -> dict[str, Organization]:
    """Create what is missing (never overwrites a clerk's edits); return organizations by key.
    Keys in `skip` are left to be registered another way (through an application)."""
    divisions_import(functional_zones=FUNCTIONAL_ZONES)
    for sort_order, (code, name) in enumerate(orgdata.INDUSTRIES, start=1):
        Industry.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": sort_order * 10}
        )
    units = {
        unit["key"]: SupervisoryUnit.objects.get_or_create(
            name=unit["name"], defaults={"is_civil_affairs": True}
        )[0]
        for unit in orgdata.SUPERVISORY_UNITS
    }
    industries = {industry.code: industry for industry in Industry.objects.all()}
    districts = {district.name: district for district in District.objects.all()}
    streets = {(s.district.name, s.name): s for s in Street.objects.select_related("district")}
    existing = {o.credit_code: o for o in Organization.objects.all()}

    organizations = {}
    for row in orgdata.ORGANIZATIONS:
        code = credit_code_of(row)
        organization = existing.get(code)
        if organization is None and row["key"] in skip:
            continue
        if organization is None:
            registered_on = _as_date(row["registered_on"])
            # Its record as the bureau has had it since registration: the ledger "as of" a day
            # before a later change reads these values (R-CHG-4).
            with history_dated(registered_on):
                organization = _create(row, code, by, industries, units, districts, streets)
        organizations[row["key"]] = organization
    return organizations


def _create(row, code, by, industries, units, districts, streets) -> Organization:
    return organization_create(
        by=by,
        name=row["name"],
        credit_code=code,
        organization_type=row["type"],
        industry=industries[row["industry"]],
        supervisory_unit=units[row["supervisory_unit"]],
        legal_representative=row["legal_representative"],
        contact_person=row["contact_person"],
        contact_phone=row["contact_phone"],
        address=row["address"],
        district=districts[row["district"]],
        street=streets[(row["district"], row["street"])],
        full_time_staff=row["full_time_staff"],
        established_on=_as_date(row["established_on"]),
        registered_on=_as_date(row["registered_on"]),
    )


def _as_date(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
