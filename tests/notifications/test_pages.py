"""The 消息 pages: the portal's and the admin's list their user's own notifications, unread
first, with the unread count in the header; marking read touches only one's own; another
user's notification answers 404; the lists cost the same queries for 3 rows as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts import roles
from notifications.choices import Kind
from notifications.models import Notification
from notifications.services import mark_read, notify
from tests.factories import OrganizationFactory, make_organization_user, make_user
from tests.hostile import hostile_settings, hostile_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_user():
    return make_organization_user(OrganizationFactory())


@pytest.fixture
def committee():
    return make_user(roles.COMMITTEE, username="committee-pages")


def remind(user, n=1, link="/portal/annual-checks/"):
    rows = []
    for i in range(n):
        rows += notify(
            [user],
            kind=Kind.ANNUAL_CHECK_DUE,
            key=f"page-{i}",
            subject=f"年检请于期限前报送{i}",
            link=link,
        )
    return rows


def test_the_portal_page_lists_unread_first_with_the_count_in_the_header(client, portal_user):
    first, second = remind(portal_user, 2)
    mark_read(portal_user, [second.pk])
    client.force_login(portal_user)
    response = client.get(reverse("portal:notifications"))
    page = response.content.decode()
    assert list(response.context["page"].object_list) == [first, second]
    assert 'id="notifications-link"' in page and 'unread-count">1<' in page
    assert "消息" in page and "年检截止提醒" in page and "未读" in page


def test_the_portal_marks_read_and_opens_the_link(client, portal_user):
    first, second = remind(portal_user, 2)
    client.force_login(portal_user)
    client.post(reverse("portal:notifications_read"), {"ids": [first.pk]})
    assert Notification.objects.filter(read_at__isnull=True).get() == second
    response = client.get(reverse("portal:notification", args=[second.pk]))
    assert response.status_code == 302 and response["Location"] == "/portal/annual-checks/"
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_another_users_notification_is_a_404(client, portal_user, committee):
    (theirs,) = remind(committee)
    client.force_login(portal_user)
    assert client.get(reverse("portal:notification", args=[theirs.pk])).status_code == 404
    client.post(reverse("portal:notifications_read"), {"ids": [theirs.pk], "all": ""})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_read_only_role_marks_its_own_read_and_nobody_elses(client, portal_user, committee):
    (mine,) = remind(committee)
    (theirs,) = remind(portal_user)
    client.force_login(committee)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("notifications:read"), {"ids": [mine.pk, theirs.pk]})
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_the_admin_page_and_header(client, committee):
    remind(committee, 2)
    client.force_login(committee)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'id="notifications-link"' in page and "(2)" in page
    assert page.count("notification-unread") == 2
    index = client.get(reverse("admin:index")).content.decode()
    assert 'id="notifications-link"' in index


def test_a_link_elsewhere_is_never_followed(client, portal_user):
    (row,) = remind(portal_user)
    Notification.objects.filter(pk=row.pk).update(link="//evil.example.com/")
    client.force_login(portal_user)
    response = client.get(reverse("portal:notification", args=[row.pk]))
    assert response["Location"] == reverse("portal:notifications")


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "who,url",
    [("portal", "portal:notifications"), ("staff", "notifications:list")],
)
def test_the_lists_cost_the_same_queries_for_3_rows_as_for_30(client, who, url, portal_user):
    user = portal_user if who == "portal" else make_user(roles.CLERK, username="clerk-pages")
    client.force_login(user)
    remind(user, 3)
    few = queries_for(client, reverse(url))
    for i in range(3, 30):
        notify([user], kind=Kind.OTHER, key=f"more-{i}", subject="通知", link="/portal/")
    assert queries_for(client, reverse(url)) == few


def test_the_header_shows_99_plus_beyond_99_unread(client, portal_user):
    for i in range(100):
        notify([portal_user], kind=Kind.OTHER, key=f"many-{i}", subject="通知")
    client.force_login(portal_user)
    page = client.get(reverse("portal:notifications")).content.decode()
    assert 'unread-count">99+<' in page


@hostile_settings(30)
@given(
    ids=st.lists(
        st.one_of(
            hostile_text(long=False),
            st.integers(min_value=-(2**70), max_value=2**70).map(str),
        ),
        max_size=5,
    ),
    everything=st.sampled_from(["", "1", "<script>"]),
)
def test_hostile_marking_posts_touch_only_ones_own(client, portal_user, committee, ids, everything):
    """Whatever a crafted POST carries, the answer is the list again and nobody else's
    notification is marked read."""
    (theirs,) = notify([committee], kind=Kind.OTHER, key="hostile", subject="通知") or [
        Notification.objects.get(recipient=committee, key="hostile")
    ]
    client.force_login(portal_user)
    response = client.post(
        reverse("portal:notifications_read"), {"ids": [*ids, str(theirs.pk)], "all": everything}
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
