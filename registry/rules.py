"""The organization's rules across fields, as plain functions over values: `Organization.clean()`
applies them to one row, the ledger import to every row it reads, so both refuse the same rows
with the same words. Each check returns its message, or "" when the values pass."""

from django.utils.translation import gettext as _


def street_outside_district(*, street_district_id, district_id) -> str:
    """A street must lie in the organization's district."""
    if street_district_id is not None and district_id is not None:
        if street_district_id != district_id:
            return _("This street is not in the chosen district.")
    return ""


def registered_before_established(*, established_on, registered_on) -> str:
    """An organization is registered on or after the day it was established (also a database
    constraint: `organization_registered_after_established`)."""
    if established_on and registered_on and registered_on < established_on:
        return _("The registration date cannot precede establishment.")
    return ""


def is_bureau_managed(supervisory_unit) -> bool:
    """Bureau-managed (局管) is a consequence of who supervises, never typed by hand: units of
    the civil-affairs bureau make their organizations bureau-managed."""
    return bool(supervisory_unit is not None and supervisory_unit.is_civil_affairs)


def names_a_civil_affairs_unit(name: str) -> bool:
    """A supervisory unit first met by name (in a ledger, a list of units) is the bureau's own
    when it is named after it (市民政局…, 民间组织管理局): the flag a clerk would give it."""
    return "民政" in name or "民间组织管理局" in name


def change_filing_deadline(*, organization_type: str, consented_on):
    """R-CHG-3: a social group or private non-enterprise unit files a change (or a charter
    amendment) with the registration authority within `CHANGE_FILING_DAYS` days (default 30)
    of its supervisory unit's consent; the last day, or None when no deadline runs (no consent
    yet; a foundation, whose article we could not verify, see docs/domain.md)."""
    import datetime

    from django.conf import settings

    from .choices import OrganizationType

    if consented_on is None or organization_type == OrganizationType.FOUNDATION:
        return None
    return consented_on + datetime.timedelta(days=settings.REGISTRY["CHANGE_FILING_DAYS"])
