"""The workbench (admin home) gives each thing one section under one name (issue 19): an app's
work links (the ledger, the revocation review, expiring grades …) sit in that app's own section
instead of a second section with the same caption; "年检" is the annual check's only name."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from accounts import roles
from tests.factories import SupervisoryUnitFactory, make_user

pytestmark = pytest.mark.django_db

ROLES = [roles.CLERK, roles.SUPERVISORY_UNIT, roles.COMMITTEE]


def _text(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def _home(client, role):
    extra = {"supervisory_unit": SupervisoryUnitFactory()} if role == roles.SUPERVISORY_UNIT else {}
    client.force_login(make_user(role, username=f"{role}-home", **extra))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def _content(page: str) -> str:
    """The page's main content, without the navigation sidebar (which lists the apps too)."""
    return re.sub(r'<nav[^>]*id="nav-sidebar".*?</nav>', "", page, flags=re.S)


@pytest.mark.parametrize("role", ROLES)
def test_each_section_caption_appears_once(client, role):
    page = _content(_home(client, role))
    captions = Counter(_text(c) for c in re.findall(r"<caption>(.*?)</caption>", page, re.S))
    assert captions, page
    assert {name: n for name, n in captions.items() if n > 1} == {}


def test_the_clerks_work_links_sit_in_their_apps_sections(client):
    page = _content(_home(client, roles.CLERK))
    sections = {
        label: page[page.index(f'class="app-{label} module') :].split("</table>", 1)[0]
        for label in ("partybuilding", "annualcheck", "evaluation")
    }
    assert reverse("partybuilding:ledger") in sections["partybuilding"]
    assert reverse("annualcheck:revocation_review") in sections["annualcheck"]
    assert reverse("evaluation:expiring") in sections["evaluation"]
    for caption in ("党建工作", "等级评估", "年检"):
        assert [_text(c) for c in re.findall(r"<caption>(.*?)</caption>", page, re.S)].count(
            caption
        ) == 1


@pytest.mark.parametrize("role", ROLES)
def test_the_annual_check_has_one_name(client, role):
    assert "年度检查" not in _home(client, role)
