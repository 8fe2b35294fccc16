"""Reads of the notification log. A user sees their own notifications and nobody else's."""

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet

from accounts import roles

from .models import Notification


def notifications_visible_to(user) -> QuerySet:
    """`user`'s own notifications, unread first, newest first."""
    if not (user and user.is_authenticated and user.is_active):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-pk"
    )


UNREAD_SHOWN = 99


def unread_count(user) -> int:
    """How many of `user`'s notifications are unread, up to UNREAD_SHOWN + 1 (the header shows
    "99+"): a bounded read of the inbox index, never a COUNT over a long log."""
    if not (user and user.is_authenticated and user.is_active):
        return 0
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).order_by()
    return len(unread.values_list("pk", flat=True)[: UNREAD_SHOWN + 1])


def users_with_role(role: str, **scope) -> QuerySet:
    """The active users holding `role` (accounts.roles), narrowed by `scope` (e.g.
    organization_id=…, supervisory_unit_id__in=…): the recipients the reminders pick."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.GROUP_NAMES[role], **scope)
        .distinct()
    )


def clerks() -> QuerySet:
    return users_with_role(roles.CLERK)
