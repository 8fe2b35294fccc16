"""Writes to the registry. Each service validates fully and records who did it in the history."""

import csv
from pathlib import Path

from django.db import transaction

from ..choices import DistrictKind
from ..models import District, Industry, Organization, Street

DIVISIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "changchun_divisions.csv"


@transaction.atomic
def organization_create(*, by, **fields) -> Organization:
    """Create an organization after checking every field, its credit code by R-ID-1 included."""
    organization = Organization(**fields)
    organization.full_clean()
    organization._history_user = by
    organization.save()
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, by, **changes) -> Organization:
    """Change fields of an organization; the history row names `by` as the author."""
    for field, value in changes.items():
        setattr(organization, field, value)
    organization.full_clean()
    organization._history_user = by
    organization.save()
    return organization


@transaction.atomic
def divisions_import(*, path: Path = DIVISIONS_CSV, functional_zones=()) -> tuple[int, int]:
    """Load districts and streets from a `district_code,district,street` CSV (idempotent).
    A district is found by its code first, then by name, so the ones `migrate` made from the
    national list (registry.services.divisions) are reused, never duplicated.

    Returns how many districts and streets were created."""
    districts_created = streets_created = 0
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code, name = row["district_code"].strip(), row["district"].strip()
            district = District.objects.filter(code=code).first() if code else None
            if district is None:
                district, created = District.objects.get_or_create(
                    name=name, defaults={"code": code}
                )
                districts_created += created
            if row.get("street", "").strip():
                _street, created = Street.objects.get_or_create(
                    district=district, name=row["street"].strip()
                )
                streets_created += created
    for name in functional_zones:
        _zone, created = District.objects.get_or_create(
            name=name, defaults={"kind": DistrictKind.FUNCTIONAL_ZONE}
        )
        districts_created += created
    return districts_created, streets_created


def industry_get_or_create(*, code: str, name: str, sort_order: int = 100) -> Industry:
    industry, _created = Industry.objects.get_or_create(
        code=code, defaults={"name": name, "sort_order": sort_order}
    )
    return industry
