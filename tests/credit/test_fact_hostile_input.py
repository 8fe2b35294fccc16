"""Hostile input on the admin pages of credit supervision's facts (penalties, rectification
notices, returned letters): refused with the form's errors and nothing written, or saved and
shown as text; never a server error."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credit.models import Penalty, RectificationNotice, ReturnedLetter
from tests.factories import PenaltyFactory, RectificationNoticeFactory, ReturnedLetterFactory
from tests.hostile import check_admin_add, check_admin_change, hostile_settings

pytestmark = pytest.mark.django_db

FACTS = {
    Penalty: PenaltyFactory,
    RectificationNotice: RectificationNoticeFactory,
    ReturnedLetter: ReturnedLetterFactory,
}


@pytest.mark.parametrize("model", list(FACTS), ids=lambda model: model._meta.model_name)
@hostile_settings(15)
@given(data=st.data())
def test_the_add_pages_refuse_or_save_hostile_input(client, clerk, model, data):
    client.force_login(clerk)
    check_admin_add(client, model, data.draw)


@pytest.fixture(params=list(FACTS), ids=lambda model: model._meta.model_name)
def fact(request):
    return FACTS[request.param]()


@hostile_settings(15)
@given(data=st.data())
def test_the_change_pages_refuse_or_save_hostile_input(client, clerk, fact, data):
    client.force_login(clerk)
    check_admin_change(client, fact, data.draw)
