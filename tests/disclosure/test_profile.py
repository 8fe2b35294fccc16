"""The public profile (R-CR-17, R-PUB-2..5): what it shows, what it never shows, 404s, cache."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from credit.choices import Ground
from credit.models import Penalty
from disclosure.selectors import public_profile
from registry.models import ChangeApplication, Organization
from registry.services.certificates import certificates_issue
from tests.factories import OrganizationFactory, make_organization_user, make_user

from .records import (
    MEMBER_PHONE,
    SECRET_CONTACT,
    SECRET_MEMBER,
    SECRET_PHONE,
    SECRETS_IN_TEXT,
    entry,
    full_organization,
)

pytestmark = pytest.mark.django_db


def _chinese(*labels):
    with translation.override("zh-hans"):
        return [str(label) for label in labels]


def profile_url(organization):
    return reverse("disclosure:profile", args=[organization.credit_code])


def test_profile_url_is_the_credit_code_not_the_id():
    organization = OrganizationFactory()
    assert profile_url(organization) == f"/public/organizations/{organization.credit_code}/"


def test_the_profile_shows_what_a_national_platform_shows(client):
    organization = full_organization()
    page = client.get(profile_url(organization)).content.decode()
    for text in (
        "长春市阳光书法家协会",
        organization.credit_code,
        "社会团体",
        "正常",
        "长春市南关区人民大街100号",
        "王法人",
        "书法交流、培训、展览",
        organization.supervisory_unit.name,
        "2015-03-10",
        "4A",
        "2028-12-01",
        "基本合格",
        "活动异常名录",
        "未按照有关规定设立党组织",
        "长民异〔2026〕7号",
        "2026-02-01",
        "仍在名录中",
        "2025-10-08",
        "长民罚〔2025〕12号",
        "罚款",
        "20000.00元",
        "未按规定办理变更登记",
        "《社会团体登记管理条例》第三十条",
    ):
        assert text in page, text


def test_no_public_page_shows_private_data(client):
    """R-PUB-3: Party members, ID numbers, phones, contacts, internal remarks, proposals,
    dismissals, decisions' texts, answers and who decided appear on no public page."""
    organization = full_organization()
    pages = [
        client.get(profile_url(organization)),
        client.get(reverse("disclosure:search"), {"q": organization.credit_code}),
        client.get(reverse("disclosure:search"), {"q": "阳光书法"}),
    ]
    forbidden = [
        SECRET_MEMBER,
        organization.member_id_number,
        SECRET_CONTACT,
        SECRET_PHONE,
        MEMBER_PHONE,
        "13700001111",
        "经办秘书",
        "secret-clerk",
        "秘密党支部",
        *SECRETS_IN_TEXT,
        # The grounds of the proposal and of the dismissed entry.
        *_chinese(Ground.RECTIFICATION.label, Ground.UNREACHABLE.label),
    ]
    for response in pages:
        assert response.status_code == 200
        text = response.content.decode()
        for secret in forbidden:
            assert secret not in text, secret
        assert not re.search(r"\b1[3-9]\d{9}\b", text), "a phone number"
        assert not re.search(r"\b\d{17}[\dX]\b", text), "an ID number"


def test_the_profile_says_nothing_of_proposals_and_dismissals():
    organization = OrganizationFactory()
    entry(organization, ground="rectification", status="proposed")
    entry(organization, ground="unreachable", status="dismissed")
    assert public_profile(organization.pk)["entries"] == []


@pytest.mark.parametrize(
    "code",
    ["5122010000000000XX", "abc", "0" * 18, "../../etc/passwd", "51220100MJ00000000" + "1"],
)
def test_an_unknown_or_malformed_code_is_a_plain_404_in_chinese(client, code):
    response = client.get(f"/public/organizations/{code}/")
    assert response.status_code == 404
    assert "未找到该社会组织" in response.content.decode()


def test_no_enumeration_by_id(client):
    organization = OrganizationFactory()
    assert client.get(f"/public/organizations/{organization.pk}/").status_code == 404
    assert client.get(f"/public/organizations/{organization.pk:018d}/").status_code == 404


def test_a_code_typed_loosely_is_sent_to_its_written_form(client):
    organization = OrganizationFactory()
    code = organization.credit_code
    response = client.get(f"/public/organizations/{code.lower()}/")
    assert response.status_code == 302 and response["Location"] == profile_url(organization)


def test_english_browsers_get_the_chinese_page(client):
    organization = OrganizationFactory()
    page = client.get(profile_url(organization), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "登记事项" in page and "Registered items" not in page


def test_an_ended_registration_stays_public_with_its_date(client):
    organization = OrganizationFactory(
        status="deregistered", registration_ended_on=datetime.date(2026, 3, 1)
    )
    page = client.get(profile_url(organization)).content.decode()
    assert "已注销" in page and "2026-03-01" in page


def test_an_expired_grade_is_marked(client, settings):
    organization = full_organization()
    settings.REGISTRY = {**settings.REGISTRY, "DEMO_TODAY": "2029-01-01"}
    settings.ACCOUNTS = {**settings.ACCOUNTS, "DEMO_MODE": True}
    assert "已过期" in client.get(profile_url(organization)).content.decode()


# --- The cache (R-PUB-4) -----------------------------------------------------------------------


def test_a_cached_profile_is_read_without_its_sections(client, django_assert_max_num_queries):
    organization = full_organization()
    client.get(profile_url(organization))
    with django_assert_max_num_queries(1):  # the organization and its cache key
        assert client.get(profile_url(organization)).status_code == 200


def test_a_change_of_the_organization_shows_at_once(client):
    organization = full_organization()
    client.get(profile_url(organization))
    organization.address = "长春市朝阳区新地址1号"
    organization.save()
    assert "长春市朝阳区新地址1号" in client.get(profile_url(organization)).content.decode()


def test_a_new_penalty_or_listing_shows_at_once(client):
    organization = full_organization()
    client.get(profile_url(organization))
    Penalty.objects.create(
        organization=organization,
        kind="warning",
        department="长春市民政局",
        decision_number="长民罚〔2026〕1号",
        decided_on=datetime.date(2026, 4, 1),
        effective_on=datetime.date(2026, 4, 1),
        facts="事实",
        basis="依据",
    )
    assert "长民罚〔2026〕1号" in client.get(profile_url(organization)).content.decode()
    listed = entry(
        organization,
        ground="light_penalty",
        status="listed",
        listed_on=datetime.date(2026, 4, 2),
        decision_number="长民异〔2026〕9号",
    )
    assert "长民异〔2026〕9号" in client.get(profile_url(organization)).content.decode()
    listed.status = "removed"
    listed.removed_on = datetime.date(2026, 5, 2)
    listed.removal_path = "error"
    listed.save()
    assert "2026-05-02" in client.get(profile_url(organization)).content.decode()


def test_a_bulk_write_of_organizations_shows_at_once(client):
    """Writes around save() move the version the key holds (registry's bulk write)."""
    organization = full_organization()
    client.get(profile_url(organization))
    Organization.objects.filter(pk=organization.pk).update(
        legal_representative="李新法人", version=organization.version + 1
    )
    assert "李新法人" in client.get(profile_url(organization)).content.decode()


def test_the_cache_holds_plain_values():
    organization = full_organization()
    client_profile = public_profile(organization.pk)
    cache.set("plain", client_profile)
    assert cache.get("plain") == client_profile


# --- Constant queries -------------------------------------------------------------------------


def test_profile_queries_do_not_grow_with_records(client, django_assert_max_num_queries):
    small = OrganizationFactory()
    with django_assert_max_num_queries(12) as captured:
        client.get(profile_url(small))
    baseline = len(captured)
    big = full_organization()
    for number in range(5):
        entry(
            big,
            ground="other_abnormal",
            status="listed",
            key=f"more-{number}",
            listed_on=datetime.date(2026, 3, number + 1),
        )
    with django_assert_max_num_queries(baseline):
        client.get(profile_url(big))


def test_approved_changes_show_their_day_and_items_not_drafts(client):
    organization = full_organization()
    applicant = make_organization_user(organization)
    decided = timezone.make_aware(datetime.datetime(2026, 6, 1, 10, 0))
    ChangeApplication.objects.create(
        organization=organization,
        applicant=applicant,
        kind="change",
        status="approved",
        items=["residence", "legal_representative"],
        remarks="给申请人的内部备注",
        decided_at=decided,
    )
    ChangeApplication.objects.create(
        organization=organization,
        applicant=applicant,
        kind="change",
        items=["name"],
        name="草稿新名称",
    )
    page = client.get(profile_url(organization)).content.decode()
    assert "2026-06-01" in page and "住所、法定代表人" in page
    assert "给申请人的内部备注" not in page and "草稿新名称" not in page


def test_a_certificate_check_leads_to_the_profile(client):
    organization = OrganizationFactory()
    clerk = make_user("clerk")
    certificate = certificates_issue(organization=organization, by=clerk, reason="registration")[0]
    page = client.get(reverse("certificate_check", args=[certificate.token])).content.decode()
    assert f'href="{profile_url(organization)}"' in page
