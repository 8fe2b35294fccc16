"""The bureau this install serves: its profile row once the system administrator has set it
(admin or `setup_bureau`), the settings' REGISTRY and PARTY_BUILDING values until then."""

from django.conf import settings
from django.db import DatabaseError

from .models import BureauProfile


def bureau() -> BureauProfile:
    """The stored profile, or an unsaved one holding the settings' defaults (one query)."""
    try:
        profile = BureauProfile.objects.filter(pk=1).first()
    except DatabaseError:  # before `migrate` has made the table (checks, first start)
        profile = None
    return profile or bureau_defaults()


def bureau_defaults() -> BureauProfile:
    return BureauProfile(
        pk=None,
        authority_name=settings.REGISTRY["AUTHORITY_NAME"],
        region_code=settings.REGISTRY["REGION_CODE"],
        organization_code_prefix=settings.REGISTRY["ORGANIZATION_CODE_PREFIX"],
        ledger_title=settings.PARTY_BUILDING["LEDGER_TITLE"],
    )
