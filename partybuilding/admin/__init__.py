"""The Party-building app's admin, one module per page family; importing them registers them."""

from . import (  # noqa: F401
    change_notices,
    member_forms,
    members,
    organizations,
    party_organizations,
)
