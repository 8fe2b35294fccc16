"""Every annual-check step that saves checks the version the page was built from (issue 14):
the organization's wizard steps and the rectification items, not only the submission. Of two
tabs, the second save is refused with the product's "someone else changed it" message and
nothing of it is written."""

import datetime

import pytest
from django.urls import reverse

from annualcheck.choices import RectificationStatus
from annualcheck.models import AnnualCheck, CheckEvent, Rectification
from annualcheck.services import (
    annual_check_review,
    annual_check_save_item,
    party_building_report_save,
    register_replace,
)
from annualcheck.services.rectifications import (
    rectification_answer,
    rectification_close,
    rectification_reopen,
)
from core.concurrency import StaleEdit, last_change
from portal.annual_check_wizard import PREFIX
from tests.annualcheck.test_rules import direct_organization, reporter, submitted
from tests.factories import make_user
from tests.portal.annual_check_steps import party_building_data, post_step, started, step_url
from tests.registry.test_optimistic_locking import stale_message

pytestmark = pytest.mark.django_db


def fresh(annual_check):
    return AnnualCheck.objects.get(pk=annual_check.pk)


def page_version(client, annual_check, step) -> int:
    page = client.get(step_url(annual_check, step))
    return page.context["wizard"]["management_form"]["version"].value()


def test_two_tabs_of_the_same_item_the_second_save_is_refused(client):
    organization = direct_organization()
    annual_check, user = started(organization)
    client.force_login(user)
    first_tab = page_version(client, annual_check, "item_2")
    second_tab = page_version(client, annual_check, "item_2")
    assert first_tab == second_tab == fresh(annual_check).version

    saved = post_step(
        client,
        annual_check,
        "item_2",
        {"report": "遵守法律法规"},
        **{f"{PREFIX}-version": first_tab, "wizard_stay": "1"},
    )
    assert saved.status_code == 302
    assert fresh(annual_check).version == first_tab + 1

    refused = post_step(
        client,
        annual_check,
        "item_2",
        {"report": "另一个标签页的内容"},
        **{f"{PREFIX}-version": second_tab, "wizard_stay": "1"},
    )
    assert refused.status_code == 200
    assert stale_message(annual_check, last_change(annual_check)[0]) in refused.content.decode()
    assert annual_check.items.get(number=2).report == "遵守法律法规"
    assert fresh(annual_check).version == first_tab + 1


def test_two_tabs_of_the_party_building_report_the_second_save_is_refused(client):
    annual_check, user = started(direct_organization())
    client.force_login(user)
    version = page_version(client, annual_check, "party_building")
    data = {**party_building_data(), f"{PREFIX}-version": version, "wizard_stay": "1"}
    assert post_step(client, annual_check, "party_building", data).status_code == 302

    changed = {**party_building_data(secretary="另一位书记")}
    refused = post_step(
        client,
        annual_check,
        "party_building",
        changed,
        **{f"{PREFIX}-version": version, "wizard_stay": "1"},
    )
    assert refused.status_code == 200
    assert "您的修改未保存" in refused.content.decode()
    assert fresh(annual_check).party_building.secretary == "王书记"


@pytest.mark.parametrize("step", ["item", "party_building", "register"])
def test_every_saving_service_refuses_a_stale_version(step):
    annual_check, user = started(direct_organization())
    seen = fresh(annual_check).version
    annual_check_save_item(
        annual_check=annual_check, by=user, number=3, report="第一个标签页", expected_version=seen
    )
    assert fresh(annual_check).version == seen + 1
    register_before = list(annual_check.register.values_list("pk", flat=True))
    with pytest.raises(StaleEdit):
        if step == "item":
            annual_check_save_item(
                annual_check=annual_check, by=user, number=3, report="旧", expected_version=seen
            )
        elif step == "party_building":
            party_building_report_save(
                annual_check=annual_check, by=user, secretary="旧", expected_version=seen
            )
        else:
            register_replace(annual_check=annual_check, by=user, rows=[], expected_version=seen)
    annual_check = fresh(annual_check)
    assert annual_check.items.get(number=3).report == "第一个标签页"
    assert annual_check.party_building.secretary != "旧"
    assert list(annual_check.register.values_list("pk", flat=True)) == register_before
    assert annual_check.version == seen + 1


def _rectification():
    organization = direct_organization()
    annual_check = submitted(organization)
    clerk = make_user("clerk")
    annual_check_review(
        annual_check=annual_check,
        by=clerk,
        result="qualified",
        rectifications=[("换届未按期", datetime.date(2018, 12, 31))],
    )
    return Rectification.objects.get(annual_check=annual_check), reporter(organization), clerk


def test_a_rectification_answer_from_a_stale_page_is_refused():
    rectification, user, clerk = _rectification()
    seen = rectification.version
    rectification_answer(
        rectification=rectification, by=user, answer="已换届", expected_version=seen
    )
    with pytest.raises(StaleEdit):
        rectification_answer(
            rectification=rectification, by=user, answer="旧标签页", expected_version=seen
        )
    rectification.refresh_from_db()
    assert rectification.answer == "已换届"
    assert rectification.events.count() == 1


def test_each_rectification_move_writes_one_event_row():
    rectification, user, clerk = _rectification()
    rectification_answer(rectification=rectification, by=user, answer="已换届")
    rectification_close(rectification=rectification, by=clerk)
    events = CheckEvent.objects.filter(rectification=rectification).order_by("pk")
    assert [(e.from_status, e.to_status, e.actor) for e in events] == [
        (RectificationStatus.OPEN, RectificationStatus.ANSWERED, user),
        (RectificationStatus.ANSWERED, RectificationStatus.CLOSED, clerk),
    ]
    assert all(e.annual_check_id == rectification.annual_check_id for e in events)


def test_an_answer_from_an_old_tab_is_refused_on_the_portal(client):
    rectification, user, clerk = _rectification()
    client.force_login(user)
    page = client.get(reverse("portal:annual_check", args=[rectification.annual_check_id]))
    prefix = f"answer-{rectification.pk}"
    assert f'name="{prefix}-version" value="{rectification.version}"' in page.content.decode()
    url = reverse(
        "portal:annual_check_answer", args=[rectification.annual_check_id, rectification.pk]
    )
    seen = {f"{prefix}-version": rectification.version}
    assert client.post(url, {**seen, f"{prefix}-answer": "已换届"}).status_code == 302

    refused = client.post(url, {**seen, f"{prefix}-answer": "旧标签页的答复"})

    assert refused.status_code == 200
    assert "您的修改未保存" in refused.content.decode()
    rectification.refresh_from_db()
    assert rectification.answer == "已换届"


def test_a_reopen_from_a_stale_page_is_refused(client):
    rectification, user, clerk = _rectification()
    rectification_answer(rectification=rectification, by=user, answer="已换届")
    rectification_close(rectification=rectification, by=clerk)
    client.force_login(clerk)
    url = reverse("annualcheck:rectification_reopen", args=[rectification.pk])
    version = client.get(url).context["form"]["version"].value()
    rectification_reopen(rectification=rectification, by=clerk, reason="另一个标签页")

    refused = client.post(url, {"version": version, "reason": "材料不全"})

    assert refused.status_code == 200
    assert "您的修改未保存" in refused.content.decode()
    assert rectification.events.filter(reason="材料不全").count() == 0
