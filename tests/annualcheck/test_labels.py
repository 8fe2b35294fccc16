"""Every stored code shows its label on official pages (issue 19): the report's formation mode
(联合组建, not "joint"), yes/no figures (是/否, not "False") and the event log's statuses."""

import pytest
from django.urls import reverse

from annualcheck.services import annual_check_pre_review, party_building_differences
from tests.annualcheck.test_admin_review import supervisor_of
from tests.annualcheck.test_rules import submitted
from tests.factories import OrganizationFactory, make_organization_user
from tests.words import visible_text

pytestmark = pytest.mark.django_db

RAW = ("joint", "draft", "submitted", "pre_reviewed", "False", "True")


@pytest.fixture
def joint_check():
    organization = OrganizationFactory()
    annual_check = submitted(
        organization,
        party_organization_name="长春市某联合党支部",
        formation_mode="joint",
        charter_has_clause=False,
    )
    annual_check_pre_review(
        annual_check=annual_check, by=supervisor_of(organization), opinion="同意", passed=True
    )
    annual_check.refresh_from_db()
    return annual_check


def test_the_differences_show_labels_not_codes(joint_check):
    report = joint_check.party_building
    report.known = {**report.known, "formation_mode": "standalone", "charter_has_clause": True}
    report.save()
    shown = {label: (known, value) for label, known, value in party_building_differences(report)}
    assert shown["组建方式"] == ("单独组建", "联合组建")
    assert shown["章程已写入党建工作条款"] == ("是", "否")


def test_the_review_page_detail_and_print_show_labels(client, clerk, joint_check):
    report = joint_check.party_building
    report.known = {**report.known, "charter_has_clause": True}
    report.save()
    client.force_login(clerk)
    pages = [
        client.get(reverse("admin:annualcheck_annualcheck_change", args=[joint_check.pk])),
        client.get(reverse("annualcheck:review", args=[joint_check.pk])),
    ]
    client.force_login(make_organization_user(joint_check.organization))
    pages += [
        client.get(reverse("portal:annual_check", args=[joint_check.pk])),
        client.get(reverse("portal:annual_check_print", args=[joint_check.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        text = visible_text(response.content.decode())
        if "/review/" not in response.request["PATH_INFO"]:  # the review form has no report
            assert "联合组建" in text, response.request["PATH_INFO"]
        for raw in RAW:
            assert raw not in text, (raw, response.request["PATH_INFO"])
    admin_page = visible_text(pages[0].content.decode())
    assert "已提交" in admin_page
    assert str(joint_check.events.last()) == "已提交 → 业务主管单位已初审"
