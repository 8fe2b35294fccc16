"""Standings that fall due with the calendar (a member's leaving date, a dispatch's end entered
in advance) are refreshed by the calendar: the write that entered the date queues the refresh
for that day, and `refresh_standings --due` does it from cron. Reading them never writes."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partybuilding.models import Standing
from partybuilding.standings import services as standing_services
from partybuilding.standings.tasks import refresh_due_standings
from tests.factories import OrganizationFactory, add_members

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2018, 7, 2)
LEAVES_ON = TODAY + datetime.timedelta(days=3)
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def on(settings):
    """Make the product's today (core.calendar.today) the given date."""

    def move_to(day: datetime.date):
        settings.ACCOUNTS = {**settings.ACCOUNTS, "DEMO_MODE": True}
        settings.REGISTRY = {**settings.REGISTRY, "DEMO_TODAY": day.isoformat()}

    return move_to


@pytest.fixture
def nothing_queued_yet():
    standing_services._queued_due_dates.clear()
    yield
    standing_services._queued_due_dates.clear()


@pytest.fixture
def leaving(on, nothing_queued_yet):
    """An organization of three counted members, one of whom leaves in three days."""
    on(TODAY)
    organization = OrganizationFactory()
    member = add_members(organization, 3)[0]
    member.left_on, member.left_reason = LEAVES_ON, "调动"
    member.save()
    standing = Standing.objects.get(organization=organization)
    assert (standing.counted_members, standing.valid_until) == (3, LEAVES_ON)
    return organization


def test_reading_a_standing_that_fell_due_writes_nothing(leaving, on, clerk, client):
    on(LEAVES_ON)
    client.force_login(clerk)
    pages = [
        reverse("partybuilding:dashboard"),
        reverse("partybuilding:ledger"),
        reverse("partybuilding:joint_suggestions"),
        reverse("admin:registry_organization_change", args=[leaving.pk]),
    ]
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        written = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert written == [], url
    standing = Standing.objects.get(organization=leaving)
    assert (standing.counted_members, standing.computed_on) == (3, TODAY)


def test_the_refresh_command_updates_a_standing_that_fell_due(leaving, on):
    out = StringIO()
    call_command("refresh_standings", "--due", stdout=out)
    assert "已重新计算 0 家" in out.getvalue()  # not due yet
    on(LEAVES_ON)
    call_command("refresh_standings", "--due", stdout=out)
    assert "已重新计算 1 家" in out.getvalue()
    standing = Standing.objects.get(organization=leaving)
    assert (standing.counted_members, standing.computed_on) == (2, LEAVES_ON)
    assert standing.valid_until is None


def test_the_write_that_enters_a_date_queues_the_refresh_for_that_day(
    on, nothing_queued_yet, django_capture_on_commit_callbacks
):
    on(TODAY)
    organization = OrganizationFactory()
    member = add_members(organization, 3)[0]
    with django_capture_on_commit_callbacks(execute=True):
        member.left_on, member.left_reason = LEAVES_ON, "调动"
        member.save()
    midnight = timezone.make_aware(datetime.datetime.combine(LEAVES_ON, datetime.time.min))
    queued = DBTaskResult.objects.filter(task_path=refresh_due_standings.module_path)
    assert list(queued.values_list("run_after", flat=True)) == [midnight]
    # Another write entering the same day queues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        add_members(organization, 1, left_on=LEAVES_ON, left_reason="调动")
    assert queued.count() == 1

    assert Standing.objects.get(organization=organization).counted_members == 4

    on(LEAVES_ON)
    assert refresh_due_standings.call() == 1
    assert Standing.objects.get(organization=organization).counted_members == 2


def test_each_due_refresh_queues_the_next_day_a_standing_falls_due(
    on, nothing_queued_yet, django_capture_on_commit_callbacks
):
    on(TODAY)
    first, second = OrganizationFactory.create_batch(2)
    later = LEAVES_ON + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        add_members(first, 2, left_on=LEAVES_ON, left_reason="调动")
        add_members(second, 2, left_on=later, left_reason="调动")
    queued = DBTaskResult.objects.filter(task_path=refresh_due_standings.module_path)

    def days():
        return [
            timezone.localtime(run).date() for run in queued.values_list("run_after", flat=True)
        ]

    assert days() == [LEAVES_ON, later]

    on(LEAVES_ON)
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_due_standings.call() == 1
    assert sorted(days()) == [LEAVES_ON, later]  # the next day was queued already

    standing_services._queued_due_dates.clear()  # a worker process of its own
    on(later)
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_due_standings.call() == 1
    assert Standing.objects.filter(counted_members=0).count() == 2
