"""Writes of the notification log: `notify` (idempotent by recipient and key) and `mark_read`.
Delivery by the channels beyond the log runs after the writing transaction commits."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from .channels import outside_channels
from .models import Delivery, Notification

logger = logging.getLogger(__name__)

KEY_CHUNK = 500
# A marking form carries one page of ids; more is not a browser's.
MARK_AT_MOST = 500


@dataclass(frozen=True)
class Reminder:
    """One thing to remind some users of: what `reminders_wanted` receivers return and
    `notify` writes (one row per recipient, once per recipient and key)."""

    recipients: Iterable = field(hash=False)
    kind: str
    key: str
    subject: str
    body: str = ""
    link: str = ""
    due_on: object = None


def _user_id(recipient) -> int:
    return recipient if isinstance(recipient, int) else recipient.pk


def notify(recipients, *, kind, key, subject, body="", link="", due_on=None) -> list:
    """Write the notification for each recipient that has none with `key` yet; return the new
    rows. Run twice, it writes nothing the second time."""
    reminder = Reminder(
        recipients=recipients,
        kind=kind,
        key=key,
        subject=subject,
        body=body,
        link=link,
        due_on=due_on,
    )
    return notify_all([reminder])


@transaction.atomic
def notify_all(reminders: Iterable[Reminder]) -> list:
    """`notify` for many reminders at once: the pairs already written are read in a few
    queries, the new rows bulk-created, their delivery queued for after the commit."""
    wanted: dict[tuple[int, str], Notification] = {}
    for reminder in reminders:
        if reminder.link and not reminder.link.startswith("/"):
            raise ValueError("A notification's link is a path inside the site.")
        for recipient in reminder.recipients:
            pair = (_user_id(recipient), reminder.key)
            wanted.setdefault(
                pair,
                Notification(
                    recipient_id=pair[0],
                    kind=reminder.kind,
                    key=reminder.key,
                    subject=str(reminder.subject)[:200],
                    body=str(reminder.body),
                    link=reminder.link,
                    due_on=reminder.due_on,
                ),
            )
    keys = sorted({key for _user, key in wanted})
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        for pair in Notification.objects.filter(key__in=chunk).values_list("recipient_id", "key"):
            wanted.pop(pair, None)
    rows = list(wanted.values())
    if not rows:
        return []
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows, batch_size=1000)
    except IntegrityError:  # another run wrote some of them meanwhile: one by one
        created = []
        for row in rows:
            with transaction.atomic():
                notification, was_created = Notification.objects.get_or_create(
                    recipient_id=row.recipient_id,
                    key=row.key,
                    defaults={
                        field: getattr(row, field)
                        for field in ("kind", "subject", "body", "link", "due_on")
                    },
                )
            if was_created:
                created.append(notification)
    ids = [row.pk for row in created]
    if outside_channels():
        transaction.on_commit(lambda: deliver(ids))
    return created


def deliver(ids) -> int:
    """Hand the notifications to every channel beyond the log, recording each attempt. Never
    raises: a failure is the delivery's error (and a log line)."""
    try:
        channels = outside_channels()
        notifications = Notification.objects.filter(pk__in=ids).select_related("recipient")
        attempts = []
        for notification in notifications:
            for channel in channels:
                try:
                    channel.send(notification)
                except Exception as error:  # noqa: BLE001 - any channel's failure is recorded
                    logger.warning(
                        "Channel %s failed for notification %s",
                        channel.name,
                        notification.pk,
                        exc_info=True,
                    )
                    attempts.append(
                        Delivery(
                            notification=notification,
                            channel=channel.name,
                            ok=False,
                            error=f"{type(error).__name__}: {error}"[:2000],
                        )
                    )
                else:
                    attempts.append(
                        Delivery(notification=notification, channel=channel.name, ok=True)
                    )
        Delivery.objects.bulk_create(attempts)
        return len(attempts)
    except Exception:
        logger.exception("Could not deliver notifications %s", list(ids)[:20])
        return 0


def mark_read(user, ids) -> int:
    """Mark `user`'s own notifications among `ids` read (anyone else's are left alone)."""
    clean = []
    for value in list(ids)[:MARK_AT_MOST]:
        text = str(value)
        if text.isascii() and text.isdigit() and len(text) <= 18:  # an id the database holds
            clean.append(int(text))
    if not clean or not (user and user.is_authenticated):
        return 0
    return Notification.objects.filter(recipient=user, pk__in=clean, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
