"""The organization hears of the decisions on its list entries in its portal messages
(R-CR-7, R-NTF): a listing, a removal, a move to the serious list, a refused removal request.
Connected to `entry_decided` in CreditConfig.ready(); credit sits above notifications, so it
writes the log directly."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext, override

from accounts import roles
from notifications.choices import Kind
from notifications.selectors import users_with_role
from notifications.services import notify

from .choices import EntryStatus


def subject_of(entry, to_status: str) -> str:
    names = {"list": entry.get_credit_list_display(), "ground": entry.get_ground_display()}
    last_move_from = entry.events.order_by("-at", "-pk").values_list("from_status", flat=True)[:1]
    if to_status == EntryStatus.LISTED and EntryStatus.REMOVAL_REQUESTED in last_move_from:
        return gettext("Your request to leave the %(list)s was refused") % names
    if to_status == EntryStatus.LISTED:
        return gettext("Listed on the %(list)s: %(ground)s") % names
    if to_status == EntryStatus.REMOVED:
        return gettext("Removed from the %(list)s") % names
    if to_status == EntryStatus.ESCALATED:
        return gettext("Moved from the abnormal-activity list to the serious-violation list")
    return gettext("A decision on your credit listing") % names


def on_entry_decided(sender, entry, to_status, by, reason, **kwargs):
    recipients = list(
        users_with_role(roles.ORGANIZATION, organization_id=entry.organization_id).values_list(
            "pk", flat=True
        )
    )
    if not recipients:
        return
    # Written in the site's language whoever decided: the organization reads it later.
    with override(settings.LANGUAGE_CODE):
        subject = subject_of(entry, to_status)
        # The daily job's own moves carry a label as their reason, in the job's language.
        body = str(entry.get_removal_path_display()) if by is None else reason
    link = reverse("portal:credit_entry", args=[entry.pk])
    # The version moves with every decision, so each decision is told once per user.
    key = f"credit:{entry.pk}:{entry.version}"
    # In the decision's transaction: both are written or neither (the channels beyond the log
    # send after the commit, notifications.services).
    notify(recipients, kind=Kind.CREDIT, key=key, subject=subject, body=body, link=link)
