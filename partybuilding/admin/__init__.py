"""The Party-building app's admin, one module per page family; importing them registers them."""

from . import member_forms, members, organizations, party_organizations  # noqa: F401
