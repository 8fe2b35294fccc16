"""The public profile in the cache (R-PUB-4).

A profile is kept under a key made of the organization's id, its version and last update (any
save or bulk write of the organization moves them) and a generation the saves of the records
the profile shows move (annual checks, evaluations, list entries, penalties, changes: the
receivers in disclosure.apps). A change therefore shows at once, with nothing to delete; old
entries simply expire."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .selectors import public_profile

PREFIX = "disclosure:profile"


def _generation_key(organization_id: int) -> str:
    return f"{PREFIX}:generation:{organization_id}"


def profile_changed(organization_id: int) -> None:
    """Something the profile of `organization_id` shows was written: a new generation now, and
    again once the transaction commits (a reader between the two would otherwise keep the data
    before the commit under the new key)."""

    def bump():
        cache.set(_generation_key(organization_id), uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def cached_profile(organization) -> dict | None:
    """The profile of `organization` (pk, version and updated_at loaded), from the cache or
    read and kept."""
    generation = cache.get(_generation_key(organization.pk), "0")
    stamp = organization.updated_at.timestamp() if organization.updated_at else 0
    key = f"{PREFIX}:{organization.pk}:{organization.version}:{stamp}:{generation}"
    profile = cache.get(key)
    if profile is None:
        profile = public_profile(organization.pk)
        cache.set(key, profile, settings.DISCLOSURE["PROFILE_CACHE_SECONDS"])
    return profile
