"""The notification log: notify is idempotent by (recipient, key); mark_read touches only the
user's own; the one channel interface (the email channel through Django's locmem backend; a
failing channel records its failure and never undoes the notification)."""

import pytest
from django.core import mail
from django.db import transaction

from accounts import roles
from notifications.channels import Channel
from notifications.choices import Kind
from notifications.models import Delivery, Notification
from notifications.services import mark_read, notify
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return [make_user(roles.COMMITTEE, username=f"committee-ntf-{n}") for n in range(2)]


def remind(recipients, key="k-1"):
    return notify(
        recipients,
        kind=Kind.OTHER,
        key=key,
        subject="年检截止提醒",
        body="请及时报送",
        link="/portal/",
    )


def test_notify_writes_once_per_recipient_and_key(people):
    assert len(remind(people)) == 2
    assert remind(people) == []
    assert remind([*people, people[0]]) == []
    assert len(remind(people, key="k-2")) == 2
    assert Notification.objects.count() == 4


def test_notify_adds_only_the_recipients_not_yet_reminded(people):
    remind(people[:1])
    created = remind(people)
    assert [row.recipient_id for row in created] == [people[1].pk]


def test_a_link_is_a_path_inside_the_site(people):
    with pytest.raises(ValueError):
        notify(people, kind=Kind.OTHER, key="x", subject="s", link="https://example.com/")


def test_mark_read_marks_only_the_users_own(people):
    mine, theirs = remind(people)
    assert mark_read(people[0], [mine.pk, theirs.pk, "x"]) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


EMAIL = "notifications.channels.EmailChannel"
LOG = "notifications.channels.LogChannel"


class BrokenChannel(Channel):
    name = "broken"

    def send(self, notification):
        raise RuntimeError("gateway down")


def with_channels(settings, *paths):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "CHANNELS": list(paths)}


def test_the_log_alone_records_no_delivery(settings, people, django_capture_on_commit_callbacks):
    with_channels(settings, LOG)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        remind(people)
    assert callbacks == []
    assert Delivery.objects.count() == 0


def test_the_email_channel_sends_after_commit(settings, people, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "SITE_URL": "https://mzj.example.cn"}
    with_channels(settings, LOG, EMAIL)
    people[0].email = "a@example.cn"
    people[0].save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        remind(people)
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["a@example.cn"]]
    assert mail.outbox[0].subject == "年检截止提醒"
    assert "https://mzj.example.cn/portal/" in mail.outbox[0].body
    deliveries = {d.notification.recipient_id: d for d in Delivery.objects.all()}
    assert deliveries[people[0].pk].ok
    assert not deliveries[people[1].pk].ok  # no address: recorded, not raised
    assert "no email address" in deliveries[people[1].pk].error


def test_a_failing_channel_records_the_failure_and_keeps_the_notification(
    settings, people, django_capture_on_commit_callbacks
):
    with_channels(settings, LOG, "tests.notifications.test_services.BrokenChannel")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            created = remind(people)
    assert Notification.objects.filter(pk__in=[row.pk for row in created]).count() == 2
    failures = list(Delivery.objects.values_list("channel", "ok", "error"))
    assert failures == [("broken", False, "RuntimeError: gateway down")] * 2
