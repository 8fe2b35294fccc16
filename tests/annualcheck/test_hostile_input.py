"""Hostile input on the annual check's staff pages (issue 8, "hostile input"): the supervisory
unit's pre-review, the return for correction and the clerk's review with its opinions and
rectification items. Refused with the form's errors and nothing written, or recorded and shown
as text in the admin, the portal and the print page; never a server error."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts import roles
from annualcheck.models import AnnualCheck, Rectification
from annualcheck.services import annual_check_pre_review, annual_check_submit
from tests.factories import OrganizationFactory, make_user
from tests.hostile import (
    IMG_ONERROR,
    SCRIPT,
    admin_models,
    assert_pages_show_text,
    check_admin_add,
    hostile_settings,
    post_hostile_form,
    rolled_back,
)
from tests.portal.annual_check_steps import complete, started

pytestmark = pytest.mark.django_db


def state(annual_check) -> dict:
    fresh = AnnualCheck.objects.get(pk=annual_check.pk)
    return {
        **model_to_dict(fresh),
        "version": fresh.version,
        "items": [model_to_dict(item) for item in fresh.items.order_by("pk")],
        "rectifications": Rectification.objects.filter(annual_check=fresh).count(),
        "events": fresh.events.count(),
    }


@pytest.fixture
def submitted(client):
    """A check submitted to the supervisory unit, whose user is logged in."""
    organization = OrganizationFactory()
    annual_check, user = started(organization)
    complete(annual_check, user)
    annual_check_submit(annual_check=annual_check, by=user, today=datetime.date(2018, 3, 1))
    unit_user = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=organization.supervisory_unit)
    client.force_login(unit_user)
    return AnnualCheck.objects.get(pk=annual_check.pk), user, unit_user


@pytest.fixture
def pre_reviewed(submitted, client, clerk):
    """The same check after the unit's pre-review, the clerk logged in."""
    annual_check, _user, unit_user = submitted
    annual_check_pre_review(annual_check=annual_check, by=unit_user, opinion="同意", passed=True)
    client.force_login(clerk)
    return AnnualCheck.objects.get(pk=annual_check.pk)


def pages(client, organization_client, annual_check):
    pk = annual_check.pk
    return [
        (client, reverse("admin:annualcheck_annualcheck_change", args=[pk])),
        (client, reverse("admin:annualcheck_annualcheck_changelist")),
        (client, reverse("portal:annual_check_print", args=[pk])),
        (organization_client, reverse("portal:annual_check", args=[pk])),
        (organization_client, reverse("portal:annual_check_print", args=[pk])),
    ]


def version_of(annual_check):
    return st.one_of(st.just(str(annual_check.version)), st.sampled_from(["", "-1", "x"]))


def organization_client(client, annual_check):
    other = type(client)()
    other.force_login(annual_check.organization.users.get())
    return other


@pytest.mark.parametrize("move", ["pre_review", "return"])
@hostile_settings(15)
@given(data=st.data())
def test_the_units_pages_refuse_or_record_hostile_input(client, submitted, move, data):
    annual_check = submitted[0]
    url = reverse(f"annualcheck:{move}", args=[annual_check.pk])
    with rolled_back():
        before = state(annual_check)

        response, _posted = post_hostile_form(
            client, url, data.draw, overrides={"version": version_of(annual_check)}
        )

        if response.status_code != 302:
            assert state(annual_check) == before
        else:
            assert_pages_show_text(
                pages(client, organization_client(client, annual_check), annual_check)[2:]
            )


@hostile_settings(25)
@given(data=st.data())
def test_the_clerks_review_refuses_or_records_hostile_input(client, pre_reviewed, data):
    url = reverse("annualcheck:review", args=[pre_reviewed.pk])
    with rolled_back():
        before = state(pre_reviewed)

        response, _posted = post_hostile_form(
            client, url, data.draw, overrides={"version": version_of(pre_reviewed)}
        )

        if response.status_code != 302:
            assert state(pre_reviewed) == before
        else:
            shown = pages(client, organization_client(client, pre_reviewed), pre_reviewed)
            for rectification in Rectification.objects.filter(annual_check=pre_reviewed):
                url = reverse("admin:annualcheck_rectification_change", args=[rectification.pk])
                shown.append((client, url))
            assert_pages_show_text(shown)


@pytest.fixture
def closed_rectification(pre_reviewed, clerk):
    """A rectification item answered by the organization and closed by the clerk."""
    from annualcheck.services import annual_check_review
    from annualcheck.services.rectifications import rectification_answer, rectification_close

    annual_check_review(
        annual_check=pre_reviewed,
        by=clerk,
        result="basically_qualified",
        rectifications=[("党员档案不全", datetime.date.today() + datetime.timedelta(days=30))],
        today=datetime.date(2018, 5, 1),
    )
    rectification = Rectification.objects.get(annual_check=pre_reviewed)
    user = pre_reviewed.organization.users.get()
    rectification_answer(rectification=rectification, by=user, answer="已补齐")
    return rectification_close(rectification=rectification, by=clerk)


@hostile_settings(20)
@given(data=st.data())
def test_reopening_a_rectification_refuses_or_records_hostile_input(
    client, closed_rectification, data
):
    rectification = closed_rectification
    url = reverse("annualcheck:rectification_reopen", args=[rectification.pk])
    with rolled_back():
        before = model_to_dict(Rectification.objects.get(pk=rectification.pk))

        response, _posted = post_hostile_form(client, url, data.draw)

        if response.status_code != 302:
            assert model_to_dict(Rectification.objects.get(pk=rectification.pk)) == before
        else:
            change = reverse("admin:annualcheck_rectification_change", args=[rectification.pk])
            annual_check = rectification.annual_check
            shown = [
                (client, change),
                *pages(client, organization_client(client, annual_check), annual_check),
            ]
            assert_pages_show_text(shown)


@pytest.mark.parametrize(
    "model", admin_models("annualcheck"), ids=lambda model: model._meta.model_name
)
@hostile_settings(10)
@given(data=st.data())
def test_admin_add_pages_refuse_or_save_hostile_input(client, clerk, model, data):
    client.force_login(clerk)
    check_admin_add(client, model, data.draw)


def test_a_script_in_the_review_is_shown_as_text_everywhere(client, pre_reviewed):
    """A fixed example of the review property's accepting side, which random input rarely
    reaches (every one of its many fields must be valid)."""
    posted = {
        "version": pre_reviewed.version,
        "result": "basically_qualified",
        "reason": SCRIPT,
        "problem_1": IMG_ONERROR,
        "due_on_1": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
        **{f"opinion_{number}": SCRIPT for number in range(1, 11)},
    }

    response = client.post(reverse("annualcheck:review", args=[pre_reviewed.pk]), posted)

    assert response.status_code == 302, response.context["form"].errors
    rectification = Rectification.objects.get(annual_check=pre_reviewed)
    assert rectification.problem == IMG_ONERROR
    change = reverse("admin:annualcheck_rectification_change", args=[rectification.pk])
    shown = pages(client, organization_client(client, pre_reviewed), pre_reviewed)
    assert_pages_show_text([*shown, (client, change)])
    page = client.get(reverse("portal:annual_check_print", args=[pre_reviewed.pk])).content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.decode()
