"""Hostile input on the grade evaluation's staff pages (issue 8, "hostile input"): opening an
evaluation and scoring it (points and the reasons for adjusting the Party-building indicator).
Refused with the form's errors and nothing written, or recorded and shown as text; never a
server error."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from evaluation.models import Evaluation
from evaluation.services import evaluation_open
from tests.evaluation.test_rules import eligible
from tests.hostile import (
    admin_models,
    assert_pages_show_text,
    check_admin_add,
    hostile_settings,
    post_hostile_form,
    rolled_back,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def state(evaluation) -> dict:
    fresh = Evaluation.objects.get(pk=evaluation.pk)
    return {
        **model_to_dict(fresh),
        "scores": [model_to_dict(score) for score in fresh.scores.order_by("pk")],
    }


@pytest.fixture
def organization(clerk):
    # Made once per test: the choices the examples draw from must not change between them.
    return eligible(clerk)


@hostile_settings(25)
@given(data=st.data())
def test_the_open_page_refuses_or_opens_with_hostile_input(clerk_client, organization, data):
    with rolled_back():
        before = Evaluation.objects.count()

        response, _posted = post_hostile_form(clerk_client, reverse("evaluation:open"), data.draw)

        if response.status_code != 302:
            assert Evaluation.objects.count() == before
        else:
            opened = Evaluation.objects.latest("pk")
            change = reverse("admin:evaluation_evaluation_change", args=[opened.pk])
            assert_pages_show_text([(clerk_client, change)])


@hostile_settings(25)
@given(data=st.data())
def test_the_score_page_refuses_or_saves_hostile_input(clerk_client, clerk, organization, data):
    evaluation = Evaluation.objects.filter(organization=organization, year=2017).first()
    evaluation = evaluation or evaluation_open(
        organization=organization, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1)
    )
    url = reverse("evaluation:score", args=[evaluation.pk])
    with rolled_back():
        before = state(evaluation)

        response, _posted = post_hostile_form(clerk_client, url, data.draw)

        if response.status_code != 302:
            assert state(evaluation) == before
        else:
            change = reverse("admin:evaluation_evaluation_change", args=[evaluation.pk])
            assert_pages_show_text(
                [
                    (clerk_client, change),
                    (clerk_client, reverse("evaluation:decide", args=[evaluation.pk])),
                ]
            )


@pytest.mark.parametrize(
    "model", admin_models("evaluation"), ids=lambda model: model._meta.model_name
)
@hostile_settings(10)
@given(data=st.data())
def test_admin_add_pages_refuse_or_save_hostile_input(clerk_client, model, data):
    check_admin_add(clerk_client, model, data.draw)
