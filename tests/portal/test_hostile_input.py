"""Hostile input on every portal form (issue 8, "hostile input"): each step of the registration
and annual-check wizards, the rectification answer, sign-up and log-in. A post is refused with
the form's errors and changes nothing, or it is saved and every page that shows it (the
portal's pages, the print pages, the admin) shows it as text; it never ends in a server error."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts import roles
from annualcheck.choices import CheckStatus
from annualcheck.models import AnnualCheck
from annualcheck.services import annual_check_pre_review, annual_check_review, annual_check_submit
from portal import annual_check_wizard, wizards
from portal.print_views import COPY_MARKINGS
from registry.choices import ApplicationStatus
from registry.models import Application
from registry.models.change import CHANGE_ITEMS
from tests.factories import OrganizationFactory, make_user
from tests.hostile import (
    SCRIPT,
    assert_escaped,
    assert_not_server_error,
    form_data,
    hostile_settings,
    hostile_text,
    rolled_back,
    step_data,
)

from .annual_check_steps import complete, started
from .wizard_steps import charter_filled, complete_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, clerk):
    """A second browser, the clerk's, of the same kind as `client` (two-factor done)."""
    staff = type(client)()
    staff.force_login(clerk)
    return staff


def snapshot(instance, *related: str) -> dict:
    """The row and its related rows, to see that a refused post wrote nothing."""
    fresh = type(instance).objects.get(pk=instance.pk)
    state = {**model_to_dict(fresh), "version": getattr(fresh, "version", None)}
    for name in related:
        state[name] = [model_to_dict(row) for row in getattr(fresh, name).order_by("pk")]
    return state


def post_wizard_step(client, url, prefix, step, data, version):
    payload = {f"{prefix}-current_step": step, **data}
    if version is not None:
        payload[f"{prefix}-version"] = version
    return client.post(url, payload)


def assert_pages_escaped(clients_and_urls) -> None:
    for client, url in clients_and_urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert_escaped(response.content.decode(), url)


# --- the registration wizard -----------------------------------------------------------------


@pytest.fixture
def application(client, applicant, places, industry, unit):
    client.force_login(applicant)
    return complete_draft(applicant, places, industry, unit)


def application_pages(client, staff_client, application):
    pk = application.pk
    own = [
        reverse("portal:application", args=[pk]),
        reverse("portal:applications"),
        reverse("portal:print_charter", args=[pk]),
        reverse("portal:print_pledge", args=[pk]),
        *(reverse("portal:print_member_form", args=[pk, copy]) for copy in COPY_MARKINGS),
    ]
    staff = [reverse("admin:registry_application_changelist")]
    if Application.objects.get(pk=pk).status != ApplicationStatus.DRAFT:  # drafts stay private
        staff += [
            reverse("admin:registry_application_change", args=[pk]),
            reverse("portal:print_member_form", args=[pk, next(iter(COPY_MARKINGS))]),
        ]
    return [(client, url) for url in own] + [(staff_client, url) for url in staff]


@pytest.mark.parametrize("step", wizards.STEPS)
@hostile_settings(12)
@given(data=st.data(), version=st.sampled_from([None, "", "-1", "x", "99999999999999999999"]))
def test_registration_steps_refuse_or_save_hostile_input(
    client, staff_client, application, step, data, version
):
    url = reverse("portal:application_wizard", args=[application.pk, step])
    with rolled_back():
        before = snapshot(application, "members")
        form = client.get(url).context["wizard"]["form"]
        posted = data.draw(step_data(form), label="post")
        if version is None:
            version = str(before["version"])

        response = post_wizard_step(client, url, wizards.PREFIX, step, posted, version)

        assert_not_server_error(response, posted)
        if response.status_code != 302:
            assert snapshot(application, "members") == before
        else:
            assert_pages_escaped(application_pages(client, staff_client, application))


def test_a_script_in_the_charter_is_printed_as_text(client, staff_client, application):
    """One fixed example of the property above: the step is saved and printed escaped."""
    text = f"{charter_filled(application.charter_text)}\n{SCRIPT}"
    url = reverse("portal:application_wizard", args=[application.pk, wizards.CHARTER])

    response = post_wizard_step(
        client, url, wizards.PREFIX, "charter", {"charter-charter_text": text}, application.version
    )

    assert response.status_code == 302
    page = client.get(reverse("portal:print_charter", args=[application.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert_pages_escaped(application_pages(client, staff_client, application))


@pytest.mark.parametrize(
    "typed",
    [
        "①20104198001010111",  # a circled digit: int() fails on it (a server error)
        "220104198001010²11",  # a superscript two, where the sex digit goes
        "٢20104198001010111",  # an Arabic-Indic digit: str.isdigit() says yes
    ],
)
def test_an_id_number_with_a_digit_look_alike_is_refused_in_the_member_form(
    client, application, typed
):
    url = reverse("portal:application_wizard", args=[application.pk, wizards.MEMBERS])
    before = snapshot(application, "members")
    row = {
        "name": "王建国",
        "id_number": typed,
        "status": "full",
        "joined_party_on": "2005-07-01",
        "role": "full_time_staff",
        "relationship": "transferred",
    }
    posted = {
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        **{f"members-0-{key}": value for key, value in row.items()},
    }

    response = post_wizard_step(
        client, url, wizards.PREFIX, wizards.MEMBERS, posted, application.version
    )

    assert response.status_code == 200
    assert "身份证号" in str(response.context["form"].forms[0].errors["id_number"])
    assert snapshot(application, "members") == before


def test_an_id_number_in_full_width_digits_is_stored_in_ascii_or_refused(client, application):
    """Full-width digits pass str.isdigit(): stored as typed, the same person could be entered
    twice (the uniqueness check compares the stored text)."""
    number = "220104198001010111"
    typed = number[:17].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + number[17]
    url = reverse("portal:application_wizard", args=[application.pk, wizards.MEMBERS])
    posted = {
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-name": "王建国",
        "members-0-id_number": typed,
        "members-0-status": "full",
        "members-0-joined_party_on": "2005-07-01",
        "members-0-role": "full_time_staff",
        "members-0-relationship": "transferred",
    }

    post_wizard_step(client, url, wizards.PREFIX, wizards.MEMBERS, posted, application.version)

    stored = [member.id_number for member in application.members.all()]
    assert typed not in stored, stored


# --- the annual-check wizard and the rectification answer -------------------------------------


@pytest.fixture
def annual_check(client):
    annual_check, user = started(OrganizationFactory())
    client.force_login(user)
    return complete(annual_check, user)


def annual_check_pages(client, staff_client, annual_check):
    pk = annual_check.pk
    pages = [
        (client, reverse("portal:annual_check", args=[pk])),
        (client, reverse("portal:annual_check_print", args=[pk])),
    ]
    if AnnualCheck.objects.get(pk=pk).status != CheckStatus.DRAFT:  # drafts stay private
        pages += [
            (staff_client, reverse("admin:annualcheck_annualcheck_change", args=[pk])),
            (staff_client, reverse("portal:annual_check_print", args=[pk])),
        ]
    return pages


@pytest.mark.parametrize(
    "step", [annual_check_wizard.PARTY_BUILDING, annual_check_wizard.REGISTER, "item_2", "review"]
)
@hostile_settings(12)
@given(data=st.data())
def test_annual_check_steps_refuse_or_save_hostile_input(
    client, staff_client, annual_check, step, data
):
    url = reverse("portal:annual_check_wizard", args=[annual_check.pk, step])
    with rolled_back():
        before = snapshot(annual_check, "items", "register")
        form = client.get(url).context["wizard"]["form"]
        posted = data.draw(step_data(form), label="post")

        response = post_wizard_step(
            client, url, annual_check_wizard.PREFIX, step, posted, str(before["version"])
        )

        assert_not_server_error(response, posted)
        if response.status_code != 302:
            assert snapshot(annual_check, "items", "register") == before
        else:
            assert_pages_escaped(annual_check_pages(client, staff_client, annual_check))


@pytest.fixture
def rectification(client, clerk):
    """A reviewed check with one open rectification item, its organization logged in."""
    annual_check, user = started(OrganizationFactory())
    complete(annual_check, user)
    annual_check_submit(annual_check=annual_check, by=user, today=datetime.date(2018, 3, 1))
    unit = make_user(
        roles.SUPERVISORY_UNIT, supervisory_unit=annual_check.organization.supervisory_unit
    )
    annual_check_pre_review(annual_check=annual_check, by=unit, opinion="同意", passed=True)
    annual_check_review(
        annual_check=annual_check,
        by=clerk,
        result="basically_qualified",
        rectifications=[("党员档案不全", datetime.date.today() + datetime.timedelta(days=30))],
        today=datetime.date(2018, 5, 1),
    )
    client.force_login(user)
    return annual_check.rectifications.get()


@hostile_settings(25)
@given(answer=hostile_text())
def test_a_hostile_rectification_answer_is_refused_or_shown_as_text(
    client, staff_client, rectification, answer
):
    annual_check = rectification.annual_check
    url = reverse("portal:annual_check_answer", args=[annual_check.pk, rectification.pk])
    with rolled_back():
        before = snapshot(rectification)

        response = client.post(url, {f"answer-{rectification.pk}-answer": answer})

        assert_not_server_error(response, answer)
        if response.status_code != 302:
            assert snapshot(rectification) == before
        else:
            change = reverse("admin:annualcheck_rectification_change", args=[rectification.pk])
            pages = [
                *annual_check_pages(client, staff_client, annual_check),
                (staff_client, change),
            ]
            assert_pages_escaped(pages)


# --- sign-up and log-in ---------------------------------------------------------------------


@hostile_settings(40)
@given(data=st.data())
def test_signup_refuses_or_creates_one_applicant(client, data):
    from portal.forms import ApplicantSignupForm

    users = get_user_model().objects
    with rolled_back():
        before = users.count()
        posted = data.draw(form_data(ApplicantSignupForm()), label="post")

        response = client.post(reverse("portal:signup"), posted)

        assert_not_server_error(response, posted)
        created = users.count() - before
        assert created == (1 if response.status_code == 302 else 0)
        if created:
            user = users.latest("pk")
            assert user.role == roles.APPLICANT and not user.is_staff
            staff = type(client)()
            staff.force_login(make_user(roles.SYSTEM_ADMIN))
            assert_pages_escaped([(staff, reverse("admin:accounts_user_changelist"))])


@pytest.mark.parametrize("url_name", ["portal:login", "admin:login"])
@hostile_settings(30)
@given(username=hostile_text(), password=hostile_text())
def test_hostile_credentials_are_refused_with_the_form(client, url_name, username, password):
    with rolled_back():
        users = get_user_model().objects.count()

        response = client.post(reverse(url_name), {"username": username, "password": password})

        assert_not_server_error(response, (username, password))
        assert response.status_code == 200  # the form again, with its error
        assert get_user_model().objects.count() == users
        assert_escaped(response.content.decode(), url_name)


@pytest.mark.parametrize("url_name", ["portal:login", "admin:login"])
def test_a_user_name_longer_than_any_account_is_refused_with_the_form(client, url_name):
    """Failed log-ins are counted per name (accounts.lockout); a name longer than the column
    (150) failed to be stored on PostgreSQL."""
    response = client.post(reverse(url_name), {"username": "a" * 151, "password": "x"})

    assert response.status_code == 200


# --- the change wizard (R-CHG-1..7) ------------------------------------------------------------


@pytest.fixture
def change(client, db):
    from registry.choices import ChangeKind
    from registry.services.changes import change_save_step, change_start
    from tests.factories import make_organization_user

    organization = OrganizationFactory()
    reporter = make_organization_user(organization)
    client.force_login(reporter)
    change = change_start(organization=organization, by=reporter, kind=ChangeKind.CHANGE)
    return change_save_step(change=change, by=reporter, items=list(CHANGE_ITEMS), reason="决议")


def change_pages(client, staff_client, change):
    return [
        (client, reverse("portal:change", args=[change.pk])),
        (client, reverse("portal:changes")),
        (client, reverse("portal:change_print", args=[change.pk])),
    ]


@pytest.mark.parametrize("step", ["items", "values", "pledge", "review"])
@hostile_settings(8)
@given(data=st.data(), version=st.sampled_from([None, "", "-1", "x"]))
def test_change_steps_refuse_or_save_hostile_input(
    client, staff_client, change, step, data, version
):
    from portal.change_wizard import PREFIX

    url = reverse("portal:change_wizard", args=[change.pk, step])
    with rolled_back():
        before = snapshot(change)
        form = client.get(url).context["wizard"]["form"]
        posted = data.draw(step_data(form), label="post")
        if version is None:
            version = str(before["version"])
        response = post_wizard_step(client, url, PREFIX, step, posted, version)
        assert_not_server_error(response, posted)
        if response.status_code != 302:
            assert snapshot(change) == before
        else:
            assert_pages_escaped(change_pages(client, staff_client, change))


@hostile_settings(8)
@given(data=st.data())
def test_the_charter_amendment_step_refuses_or_saves_hostile_input(client, staff_client, data):
    from portal.change_wizard import PREFIX
    from registry.choices import ChangeKind
    from registry.services.changes import change_start
    from tests.factories import make_organization_user

    with rolled_back():
        organization = OrganizationFactory(name="长春市测试章程中心")
        reporter = make_organization_user(organization)
        client.force_login(reporter)
        amendment = change_start(organization=organization, by=reporter, kind=ChangeKind.CHARTER)
        url = reverse("portal:change_wizard", args=[amendment.pk, "charter"])
        before = snapshot(amendment)
        form = client.get(url).context["wizard"]["form"]
        posted = data.draw(step_data(form), label="post")
        response = post_wizard_step(client, url, PREFIX, "charter", posted, before["version"])
        assert_not_server_error(response, posted)
        if response.status_code != 302:
            assert snapshot(amendment) == before
        else:
            assert_pages_escaped(change_pages(client, staff_client, amendment))
