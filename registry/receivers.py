"""Receivers of the registry app (connected in RegistryConfig.ready)."""

from django.db import connections


def install_divisions(sender=None, using="default", **kwargs):
    """After `migrate` (and a test's flush): load the national divisions list if the table is
    empty, then make any missing district or street of the bureau's jurisdiction from it. A
    fresh install so knows every district and street of its region before anyone logs in."""
    from .bureau import bureau
    from .models import Division
    from .services.divisions import divisions_load, jurisdiction_sync

    if Division._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated backwards past the divisions
    if not Division.objects.exists():
        divisions_load()
    jurisdiction_sync(region_code=bureau().region_code, rename=False)


def on_otp_issuer_wanted(sender, **kwargs) -> str:
    """An authenticator app names the bureau as the issuer of its codes (accounts.two_factor)."""
    from .bureau import bureau

    return bureau().authority_name
