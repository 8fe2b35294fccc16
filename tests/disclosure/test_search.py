"""The public search (R-PUB-2): by credit code however typed, by a fragment of the name, a
page at a time after a keyset, never a COUNT(*)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure.selectors import organization_search
from registry.choices import OrganizationStatus
from registry.models import Application
from tests.factories import OrganizationFactory, make_user

pytestmark = pytest.mark.django_db

FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"}


def _variants(code):
    return [
        code,
        code.lower(),
        f"  {code[:6]} {code[6:12]} {code[12:]} ",
        "".join(FULL_WIDTH[c] for c in code),
        "\u3000" + code + "\u3000",
    ]


def test_search_by_credit_code_however_typed():
    organization = OrganizationFactory()
    OrganizationFactory()
    for typed in _variants(organization.credit_code):
        found = organization_search(typed)
        assert found.kind == "code", typed
        assert [row["credit_code"] for row in found.rows] == [organization.credit_code], typed


def test_search_by_name_fragment():
    wanted = OrganizationFactory(name="长春市阳光书法家协会")
    OrganizationFactory(name="长春市晨曦养老服务中心")
    found = organization_search("阳光书法")
    assert [row["credit_code"] for row in found.rows] == [wanted.credit_code]
    assert found.rows[0]["type"] and found.rows[0]["status"] == "正常"


def test_one_character_is_too_short():
    OrganizationFactory(name="长春市阳光书法家协会")
    assert organization_search("阳").kind == "short"


def test_ended_registrations_are_found_applications_are_not():
    OrganizationFactory(name="长春市已注销测试协会", status=OrganizationStatus.DEREGISTERED)
    applicant = make_user("applicant")
    Application.objects.create(applicant=applicant, name="长春市草稿测试协会")
    names = [row["name"] for row in organization_search("测试协会").rows]
    assert names == ["长春市已注销测试协会"]


def test_pages_follow_each_other_without_counting():
    for number in range(7):
        OrganizationFactory(name=f"长春市分页测试协会{number}")
    seen, after = [], ""
    with CaptureQueriesContext(connection) as captured:
        while True:
            page = organization_search("分页测试", after=after, per_page=3)
            seen += [row["name"] for row in page.rows]
            if not page.next_after:
                break
            after = page.next_after
    assert seen == [f"长春市分页测试协会{n}" for n in range(7)]
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


def test_same_names_page_by_credit_code():
    made = sorted(OrganizationFactory(name="长春市同名协会").credit_code for _ in range(4))
    first = organization_search("同名协会", per_page=2)
    second = organization_search("同名协会", after=first.next_after, per_page=2)
    assert [r["credit_code"] for r in first.rows + second.rows] == made
    assert second.next_after is None


def test_the_search_page_links_profiles_and_the_next_page(client):
    for number in range(25):
        OrganizationFactory(name=f"长春市翻页协会{number:02d}")
    response = client.get(reverse("disclosure:search"), {"q": "翻页协会"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("/public/organizations/5") == 20
    assert "下一页" in page and "after=" in page
    after = response.context["result"].next_after
    second = client.get(reverse("disclosure:search"), {"q": "翻页协会", "after": after})
    assert second.content.decode().count("/public/organizations/5") == 5


def test_search_queries_are_constant(client, django_assert_max_num_queries):
    OrganizationFactory(name="长春市常量协会0")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("disclosure:search"), {"q": "常量协会"})
    for number in range(1, 30):
        OrganizationFactory(name=f"长春市常量协会{number}")
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("disclosure:search"), {"q": "常量协会"})


@pytest.mark.parametrize(
    "hostile", ["%", "_", "' OR 1=1 --", "<script>alert(1)</script>", "\\", "a" * 5000, "\x00x"]
)
def test_hostile_queries_are_just_text(client, hostile):
    OrganizationFactory(name="长春市普通协会")
    response = client.get(reverse("disclosure:search"), {"q": hostile, "after": hostile})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "长春市普通协会" not in page


def test_post_is_refused(client):
    assert client.post(reverse("disclosure:search"), {"q": "x"}).status_code == 405
