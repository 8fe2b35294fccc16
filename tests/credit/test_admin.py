"""The list entries' admin and review pages: scoped list in constant queries, the review pages
showing the evidence, answers and events, and each move through them."""

import datetime

import pytest
from django.urls import reverse

from accounts import roles
from credit.choices import AnswerKind, EntryStatus, Ground, RemovalPath
from credit.evidence import ANNUAL_REPORT, item
from credit.models import EntryAnswer, ListEntry
from credit.selectors import credit_todo_counts
from tests.credit.helpers import listed_entry, proposed_entry
from tests.factories import (
    OrganizationFactory,
    SupervisoryUnitFactory,
    make_organization_user,
    make_user,
)

pytestmark = pytest.mark.django_db

ON = datetime.date(2018, 6, 1)


@pytest.fixture
def clerk():
    return make_user(roles.CLERK, username="credit-clerk")


def a_proposal(organization=None):
    return proposed_entry(
        organization or OrganizationFactory(),
        Ground.ANNUAL_REPORT,
        on=ON,
        evidence=[
            item(ANNUAL_REPORT, datetime.date(2018, 5, 31), year=2017, deadline="2018-05-31")
        ],
        evidence_key="annual_report:2017",
    )


def test_the_list_is_scoped_and_counts_constant_queries(client, django_assert_max_num_queries):
    unit = SupervisoryUnitFactory()
    mine = a_proposal(OrganizationFactory(supervisory_unit=unit))
    other = a_proposal(OrganizationFactory())
    for _ in range(5):
        listed_entry(OrganizationFactory(supervisory_unit=unit), Ground.LIGHT_PENALTY, on=ON)
    supervisor = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)
    client.force_login(supervisor)
    url = reverse("admin:credit_listentry_changelist")
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    assert mine in shown and other not in shown
    for query in (
        "?credit_list__exact=serious",
        "?ground__exact=annual_report",
        "?status__exact=listed",
        "?awaiting=decision",
    ):
        assert client.get(url + query).status_code == 200


def test_the_review_page_shows_evidence_answers_and_events(client, clerk):
    entry = listed_entry(OrganizationFactory(), Ground.ANNUAL_REPORT, on=ON)
    entry.evidence = [
        item(ANNUAL_REPORT, datetime.date(2018, 5, 31), year=2017, deadline="2018-05-31")
    ]
    entry.save()
    EntryAnswer.objects.create(
        entry=entry,
        kind=AnswerKind.STATEMENT,
        text="我们已于6月补报",
        submitted_by=make_organization_user(entry.organization),
    )
    client.force_login(clerk)
    page = client.get(reverse("credit:remove", args=[entry.pk])).content.decode()
    assert "2017" in page and "我们已于6月补报" in page
    assert "annual_report" not in page
    change = client.get(reverse("admin:credit_listentry_change", args=[entry.pk])).content.decode()
    assert reverse("credit:remove", args=[entry.pk]) in change


def test_confirm_and_dismiss_through_the_pages(client, clerk):
    entry = a_proposal()
    client.force_login(clerk)
    url = reverse("credit:confirm", args=[entry.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": entry.version,
            "decision_number": "长民信〔2018〕1号",
            "facts": "未报送2017年度工作报告",
            "reasons": "逾期未报",
            "basis": "《社会组织信用信息管理办法》",
            "rights": "可以陈述申辩",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.LISTED and entry.decided_by == clerk
    other = a_proposal()
    response = client.post(
        reverse("credit:dismiss", args=[other.pk]),
        {"version": other.version, "why": "not_responsible", "reason": "业务主管单位出具证明"},
    )
    other.refresh_from_db()
    assert other.status == EntryStatus.DISMISSED
    assert "业务主管单位出具证明" in other.dismissal_reason
    assert credit_todo_counts(clerk) == {"proposed": 0, "removal": 0}


def test_remove_refuses_a_path_that_does_not_apply(client, clerk):
    entry = listed_entry(OrganizationFactory(), Ground.ANNUAL_REPORT, on=ON)
    client.force_login(clerk)
    response = client.post(
        reverse("credit:remove", args=[entry.pk]),
        {"version": entry.version, "path": RemovalPath.CORRECTED, "reason": "已整改"},
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.status == EntryStatus.LISTED


def test_a_supervisory_unit_cannot_open_the_moves(client):
    unit = SupervisoryUnitFactory()
    entry = a_proposal(OrganizationFactory(supervisory_unit=unit))
    client.force_login(make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit))
    for name in ("confirm", "dismiss", "remove", "refuse"):
        assert (
            client.post(reverse(f"credit:{name}", args=[entry.pk]), {"reason": "x"}).status_code
            == 403
        )
    assert ListEntry.objects.get(pk=entry.pk).status == EntryStatus.PROPOSED


def test_the_workbench_shows_the_clerks_credit_to_dos(client, clerk):
    a_proposal()
    client.force_login(clerk)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="todo-credit-proposals"' in page


def test_each_page_makes_only_its_own_move(client, clerk):
    """ "Refuse" cannot list a proposal, "confirm" cannot refuse a removal request."""
    proposal = a_proposal()
    requested = listed_entry(
        OrganizationFactory(), Ground.ANNUAL_REPORT, on=ON, status=EntryStatus.REMOVAL_REQUESTED
    )
    client.force_login(clerk)
    client.post(reverse("credit:refuse", args=[proposal.pk]), {"version": 0, "reason": "x"})
    client.post(
        reverse("credit:confirm", args=[requested.pk]),
        {
            "version": requested.version,
            "decision_number": "1",
            "facts": "x",
            "reasons": "x",
            "basis": "x",
            "rights": "x",
        },
    )
    assert ListEntry.objects.get(pk=proposal.pk).status == EntryStatus.PROPOSED
    assert ListEntry.objects.get(pk=requested.pk).status == EntryStatus.REMOVAL_REQUESTED


def test_a_clerk_proposes_a_ground_no_data_shows(client, clerk):
    organization = OrganizationFactory()
    client.force_login(clerk)
    url = reverse("credit:propose")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"credit_code": "nonsense", "ground": Ground.JUDGMENT_DEFAULTER, "facts": "x"}
    )
    assert response.status_code == 200 and not ListEntry.objects.exists()
    response = client.post(
        url,
        {
            "credit_code": organization.credit_code.lower(),
            "ground": Ground.JUDGMENT_DEFAULTER,
            "facts": "被人民法院纳入失信被执行人名单",
        },
    )
    entry = ListEntry.objects.get()
    assert response.status_code == 302
    assert (entry.status, entry.proposed_by_job, entry.credit_list) == (
        EntryStatus.PROPOSED,
        False,
        "serious",
    )
    assert entry.events.get().actor == clerk
    client.force_login(make_user(roles.COMMITTEE))
    assert client.post(url, {"credit_code": organization.credit_code}).status_code == 403


def test_hostile_input_on_the_staff_forms_writes_nothing(client, clerk):
    entry = listed_entry(OrganizationFactory(), Ground.LIGHT_PENALTY, on=ON)
    client.force_login(clerk)
    for data in (
        {"version": entry.version, "path": "escalated", "reason": "x"},
        {"version": entry.version, "path": "<script>", "reason": "<script>alert(1)</script>"},
        {"version": "abc", "path": RemovalPath.ERROR, "reason": "x"},
        {"version": entry.version, "path": RemovalPath.ERROR, "reason": "x" * 5000},
        {
            "version": entry.version,
            "path": RemovalPath.ERROR,
            "verified_on": "2018-02-30",
            "reason": "x",
        },
    ):
        response = client.post(reverse("credit:remove", args=[entry.pk]), data)
        assert response.status_code == 200, data
    assert ListEntry.objects.get(pk=entry.pk).status == EntryStatus.LISTED
    assert client.post(reverse("credit:confirm", args=[10**9]), {}).status_code == 404
