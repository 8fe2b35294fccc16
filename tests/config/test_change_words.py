"""Issue 19 "Words" for the change registration pages (R-CHG-1..7): rendered with data, they
show no rule id, no raw stored value and no English word."""

import pytest
from django.urls import reverse

from accounts import roles
from registry.choices import ChangeKind
from registry.services.changes import (
    change_approve,
    change_consent,
    change_file,
    change_save_step,
    change_start,
    change_submit,
)
from tests.config.test_words_on_pages import problems_on
from tests.factories import (
    DistrictFactory,
    OrganizationFactory,
    SupervisoryUnitFactory,
    make_organization_user,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes():
    unit = SupervisoryUnitFactory(name="长春市民政局社会工作处")
    organization = OrganizationFactory(supervisory_unit=unit, legal_representative="张明")
    reporter = make_organization_user(organization)
    supervisor = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)
    clerk = make_user(roles.CLERK)
    approved = change_start(organization=organization, by=reporter, kind=ChangeKind.CHANGE)
    approved = change_save_step(
        change=approved, by=reporter, items=["residence", "legal_representative"], reason="决议"
    )
    approved = change_save_step(
        change=approved,
        by=reporter,
        district=DistrictFactory(name="南关区", code="220102"),
        address="自强街1号",
        legal_representative="李华",
    )
    approved = change_save_step(
        change=approved, by=reporter, pledge_signed_by="李华", pledge_signed_on=approved.created_at
    )
    approved = change_submit(change=approved, by=reporter)
    approved = change_consent(change=approved, by=supervisor, opinion="同意")
    change_approve(change=change_file(change=approved, by=reporter), by=clerk)
    pending = change_start(organization=organization, by=reporter, kind=ChangeKind.CHANGE)
    pending = change_save_step(change=pending, by=reporter, items=["business_scope"], reason="决议")
    pending = change_save_step(change=pending, by=reporter, business_scope="新业务")
    pending = change_submit(change=pending, by=reporter)
    pending = change_consent(change=pending, by=supervisor, opinion="同意")
    pending = change_file(change=pending, by=reporter)
    charter = change_start(organization=organization, by=reporter, kind=ChangeKind.CHARTER)
    return {
        "reporter": reporter,
        "supervisor": supervisor,
        "clerk": clerk,
        "committee": make_user(roles.COMMITTEE),
        "approved": approved,
        "pending": pending,
        "charter": charter,
    }


def test_portal_change_pages_are_in_chinese(client, changes):
    client.force_login(changes["reporter"])
    approved, charter = changes["approved"], changes["charter"]
    urls = [
        reverse("portal:changes"),
        reverse("portal:change", args=[approved.pk]),
        reverse("portal:change_print", args=[approved.pk]),
        reverse("portal:change_wizard", args=[charter.pk, "charter"]),
        reverse("portal:change_wizard", args=[charter.pk, "review"]),
    ]
    assert problems_on(client, urls) == {}


@pytest.mark.parametrize("who", ["clerk", "supervisor", "committee"])
def test_staff_change_pages_are_in_chinese(client, changes, who):
    client.force_login(changes[who])
    approved, pending = changes["approved"], changes["pending"]
    urls = [
        reverse("admin:registry_changeapplication_changelist"),
        reverse("admin:registry_changeapplication_change", args=[approved.pk]),
        reverse("admin:partybuilding_changenotice_changelist"),
    ]
    if who == "clerk":
        urls += [
            reverse("admin:registry_changeapplication_change", args=[pending.pk]),
            reverse("registry:change_approve", args=[pending.pk]),
            reverse("registry:change_return", args=[pending.pk]),
            reverse("registry:change_reject", args=[pending.pk]),
        ]
    assert problems_on(client, urls) == {}
