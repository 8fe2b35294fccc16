"""R-REG-3: on the application's page each recipient's "打印党员情况表" opens its own copy: the
supervisory unit its 业务主管单位联, the committee its 党工委联, the clerk the 存档联 (issue 19)."""

import pytest
from django.urls import reverse

from registry.services.registration import application_approve, application_consent
from tests.factories import make_user
from tests.registry.test_review_admin import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(clerk, unit, supervisor, applicant):
    application = submitted(applicant, unit=unit)
    application_consent(application=application, by=supervisor, opinion="同意")
    application.refresh_from_db()
    application_approve(application=application, by=clerk)
    application.refresh_from_db()
    return application


@pytest.fixture
def applicant():
    from accounts import roles

    return make_user(roles.APPLICANT, username="applicant-copies")


@pytest.fixture
def unit():
    from tests.factories import SupervisoryUnitFactory

    return SupervisoryUnitFactory(name="长春市民政局社会工作处")


@pytest.fixture
def supervisor(unit):
    from accounts import roles

    return make_user(roles.SUPERVISORY_UNIT, username="supervisor-copies", supervisory_unit=unit)


@pytest.mark.parametrize(
    ("who", "copy", "marking"),
    [
        ("supervisor", "supervisory_unit", "业务主管单位联"),
        ("committee", "committee", "党工委联"),
        ("clerk", "archive", "存档联"),
    ],
)
def test_each_recipient_prints_its_own_copy(
    client, approved, supervisor, committee_user, clerk, who, copy, marking
):
    user = {"supervisor": supervisor, "committee": committee_user, "clerk": clerk}[who]
    client.force_login(user)
    page = client.get(reverse("admin:registry_application_change", args=[approved.pk]))
    assert page.status_code == 200
    own = reverse("portal:print_member_form", args=[approved.pk, copy])
    html = page.content.decode()
    assert f'<a href="{own}" target="_blank" rel="noopener">打印党员情况表</a>' in html
    printed = client.get(own)
    assert printed.status_code == 200
    assert marking in printed.content.decode()
