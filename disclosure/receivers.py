"""Receivers of the writes the public profile shows (connected in DisclosureConfig.ready)."""

from .cache import profile_changed


def on_profile_record_saved(sender, instance, **kwargs):
    if instance.organization_id:
        profile_changed(instance.organization_id)
