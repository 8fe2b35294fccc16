"""R-REG-3 and R-REG-4 in the admin: each recipient's list of member-form copies, acknowledging
them, the overdue flag after 5 working days, the workbench counts, the committee's worklist."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts import roles
from partybuilding.member_forms.selectors import member_form_copy_counts, overdue_cutoff
from partybuilding.models import MemberFormCopy
from registry.services.registration import (
    application_approve,
    application_consent,
    application_submit,
)
from tests.factories import SupervisoryUnitFactory, make_user
from tests.registry.test_registration import complete_application

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:partybuilding_memberformcopy_changelist")
OLD_MONDAY = datetime.date(2018, 6, 4)


@pytest.fixture
def applicant():
    return make_user(roles.APPLICANT, username="applicant-copies")


@pytest.fixture
def unit():
    return SupervisoryUnitFactory(name="长春市民政局养老服务处")


@pytest.fixture
def supervisor(unit):
    return make_user(roles.SUPERVISORY_UNIT, username="supervisor-copies", supervisory_unit=unit)


def approve(applicant, clerk, unit=None, supervisor=None, members=3):
    application = complete_application(applicant, unit=unit, members=members)
    application_submit(application=application, by=applicant)
    if unit is not None:
        application_consent(application=application, by=supervisor, opinion="同意")
    return application_approve(application=application, by=clerk)


def listed(client, user, **query):
    client.force_login(user)
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    return response, list(response.context["cl"].result_list)


def acknowledge(client, user, copies):
    client.force_login(user)
    return client.post(
        CHANGELIST,
        {"action": "acknowledge_selected", "_selected_action": [str(c.pk) for c in copies]},
        follow=True,
    )


def test_r_reg_3_each_recipient_lists_only_its_copies(
    client, clerk, committee_user, applicant, unit, supervisor
):
    organization = approve(applicant, clerk, unit, supervisor)
    other_unit = SupervisoryUnitFactory(name="长春市科学技术局")
    stranger = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=other_unit)
    _response, copies = listed(client, clerk)
    assert sorted(c.kind for c in copies) == ["archive", "committee", "supervisory_unit"]
    _response, copies = listed(client, supervisor)
    assert [(c.kind, c.organization) for c in copies] == [("supervisory_unit", organization)]
    _response, copies = listed(client, committee_user)
    assert [c.kind for c in copies] == ["committee"]
    _response, copies = listed(client, stranger)
    assert copies == []


def test_r_reg_3_recipients_acknowledge_through_the_action(
    client, clerk, committee_user, applicant, unit, supervisor
):
    organization = approve(applicant, clerk, unit, supervisor)
    copies = MemberFormCopy.objects.filter(organization=organization)
    for user, kind in (
        (supervisor, "supervisory_unit"),
        (committee_user, "committee"),
        (clerk, "archive"),
    ):
        copy = copies.get(kind=kind)
        assert copy.acknowledged_at is None
        response = acknowledge(client, user, [copy])
        assert response.status_code == 200
        copy.refresh_from_db()
        assert copy.acknowledged_by == user
        assert copy.acknowledged_at is not None
        assert copy.history.latest().history_user == user


def test_r_reg_3_nobody_acknowledges_someone_elses_copy(
    client, clerk, committee_user, applicant, unit, supervisor
):
    organization = approve(applicant, clerk, unit, supervisor)
    copies = MemberFormCopy.objects.filter(organization=organization)
    # The clerk sees every copy but receives only the archive one.
    response = acknowledge(client, clerk, list(copies))
    assert response.status_code == 200
    acknowledged = {c.kind: c.acknowledged_by for c in copies.all()}
    assert acknowledged == {"archive": clerk, "committee": None, "supervisory_unit": None}
    levels = [m.level_tag for m in get_messages(response.wsgi_request)]
    assert "warning" in levels and "success" in levels
    # The committee cannot reach the unit's copy at all: it is not in its list.
    unit_copy = copies.get(kind="supervisory_unit")
    acknowledge(client, committee_user, [unit_copy])
    unit_copy.refresh_from_db()
    assert unit_copy.acknowledged_at is None


def test_r_reg_3_the_admin_is_read_only(client, clerk, committee_user, applicant):
    organization = approve(applicant, clerk)
    copy = MemberFormCopy.objects.get(organization=organization, kind="committee")
    client.force_login(committee_user)
    change = reverse("admin:partybuilding_memberformcopy_change", args=[copy.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"note": "改"}).status_code == 403
    assert client.get(reverse("admin:partybuilding_memberformcopy_add")).status_code == 403
    delete = reverse("admin:partybuilding_memberformcopy_delete", args=[copy.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert MemberFormCopy.objects.filter(organization=organization).count() == 2


def test_r_reg_3_copies_unacknowledged_after_five_working_days_are_flagged(
    client, clerk, committee_user, applicant, unit, supervisor
):
    old = approve(applicant, clerk, unit, supervisor)
    fresh = approve(applicant, clerk, unit, supervisor)
    MemberFormCopy.objects.filter(organization=old).update(filed_on=OLD_MONDAY)
    # Five working days after a Monday is the next Monday: not late yet; the Tuesday is.
    assert overdue_cutoff(datetime.date(2018, 6, 11)) < OLD_MONDAY
    assert overdue_cutoff(datetime.date(2018, 6, 12)) == OLD_MONDAY
    for user in (clerk, supervisor, committee_user):
        response, copies = listed(client, user)
        flags = {(c.organization_id, c.kind): c.is_overdue for c in copies}
        assert all(flag for (org, _kind), flag in flags.items() if org == old.pk)
        assert not any(flag for (org, _kind), flag in flags.items() if org == fresh.pk)
        assert 'class="overdue-flag"' in response.content.decode()
    # The filter narrows the list to the overdue ones, on the clerk's and the recipient's lists.
    _response, copies = listed(client, committee_user, acknowledgement="overdue")
    assert [c.organization_id for c in copies] == [old.pk]
    _response, copies = listed(client, clerk, acknowledgement="overdue")
    assert sorted(c.kind for c in copies) == ["archive", "committee", "supervisory_unit"]
    # Once acknowledged, a copy is no longer flagged.
    acknowledge(
        client, committee_user, [MemberFormCopy.objects.get(organization=old, kind="committee")]
    )
    _response, copies = listed(client, committee_user, acknowledgement="overdue")
    assert copies == []
    _response, copies = listed(client, committee_user, acknowledgement="acknowledged")
    assert [c.organization_id for c in copies] == [old.pk]


def test_r_reg_3_copies_list_query_count_is_flat(
    client, clerk, applicant, unit, supervisor, django_assert_max_num_queries
):
    approve(applicant, clerk, unit, supervisor, members=1)
    client.force_login(clerk)
    # session, user, the two-factor device (django_otp), 2 permission reads, groups (role),
    # 2 counts, the page, 2 for the date hierarchy, the unread-message count in the header
    with django_assert_max_num_queries(12) as few:
        assert client.get(CHANGELIST).status_code == 200
    for _ in range(4):
        approve(applicant, clerk, unit, supervisor, members=1)
    with django_assert_max_num_queries(len(few.captured_queries)) as more:
        response = client.get(CHANGELIST)
    assert response.context["cl"].result_count == 15
    assert len(more.captured_queries) == len(few.captured_queries)


def test_r_reg_3_the_workbench_counts_copies_to_acknowledge(
    client, clerk, committee_user, applicant, unit, supervisor
):
    old = approve(applicant, clerk, unit, supervisor)
    approve(applicant, clerk, unit, supervisor)
    approve(applicant, clerk, unit, supervisor)
    MemberFormCopy.objects.filter(organization=old).update(filed_on=OLD_MONDAY)
    assert member_form_copy_counts(committee_user) == {"pending": 3, "overdue": 1}
    assert member_form_copy_counts(clerk) == {"pending": 9, "overdue": 3}
    client.force_login(committee_user)
    page = client.get(reverse("admin:index")).content.decode()
    start = page.index('id="member-form-copies-row"')
    row = page[start : page.index("</tr>", start)]
    assert "3" in row and "1" in row
    assert f"{CHANGELIST}?acknowledgement=unacknowledged" in row
    assert f"{CHANGELIST}?acknowledgement=overdue" in row


def test_r_reg_4_a_new_organization_with_three_members_is_on_the_committees_worklist(
    client, clerk, committee_user, applicant
):
    organization = approve(applicant, clerk, members=3)
    other = approve(applicant, clerk, members=1)  # a joint-build candidate, not on the worklist
    worklist = reverse("partybuilding:ledger") + "?party_building_status=should_build"
    client.force_login(committee_user)
    assert worklist in client.get(reverse("admin:index")).content.decode()
    response = client.get(worklist)
    assert response.status_code == 200
    listed_pks = [row["pk"] for row in response.context["table"]]
    assert listed_pks == [organization.pk]
    assert other.pk not in listed_pks
