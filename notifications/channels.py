"""The one interface a notification leaves by.

A channel is a class with `send(notification)`: it passes one notification on, or raises to
say it could not. `settings.NOTIFICATIONS["CHANNELS"]` lists the channels by dotted path, in
order; the default is the log alone (`LogChannel`: the notification row itself, read in the
portal's 消息 page and the admin's). After the transaction that wrote the notifications commits,
`deliver` hands each to every other channel and records each attempt as a `Delivery` (ok, or
the error): a channel that fails never undoes the notification nor the write that caused it.

Email: add `"notifications.channels.EmailChannel"` (Django's EMAIL_* settings, to the
recipient's address; the link made absolute with `NOTIFICATIONS["SITE_URL"]`).

SMS: a bureau's gateway plugs in as its own class, e.g. `"bureau_sms.channels.GatewayChannel"`::

    from notifications.channels import Channel

    class GatewayChannel(Channel):
        name = "sms"

        def send(self, notification):
            phone = notification.recipient.phone
            if not phone:
                raise ChannelError("no mobile phone")
            gateway.send(phone, notification.subject)   # raise on failure
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = ["notifications.channels.LogChannel"]


class ChannelError(Exception):
    """A channel could not pass a notification on (recorded as the delivery's error)."""


class Channel:
    """The interface: `send(notification)` delivers one notification or raises."""

    name = "channel"
    # False for the log itself: the notification row is its delivery, nothing to record.
    records_deliveries = True

    def send(self, notification) -> None:
        raise NotImplementedError


class LogChannel(Channel):
    """The notification log: writing the row was the delivery."""

    name = "log"
    records_deliveries = False

    def send(self, notification) -> None:
        return None


class EmailChannel(Channel):
    """An email to the recipient's address through django.core.mail."""

    name = "email"

    def send(self, notification) -> None:
        address = notification.recipient.email
        if not address:
            raise ChannelError("no email address")
        body = notification.body
        if notification.link:
            site = notification_settings().get("SITE_URL", "").rstrip("/")
            body = f"{body}\n\n{site}{notification.link}"
        send_mail(
            notification.subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            fail_silently=False,
        )


def notification_settings() -> dict:
    return getattr(settings, "NOTIFICATIONS", {})


def configured_channels() -> list[Channel]:
    paths = notification_settings().get("CHANNELS") or DEFAULT_CHANNELS
    return [import_string(path)() for path in paths]


def outside_channels() -> list[Channel]:
    """The channels beyond the log: those whose attempts are recorded."""
    return [channel for channel in configured_channels() if channel.records_deliveries]
