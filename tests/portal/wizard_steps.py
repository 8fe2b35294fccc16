"""Posting the registration wizard's steps the way a browser does (style §12):
`<prefix>-current_step` plus `<step>-<field>` keys, and the management form for the formset."""

import datetime

from django.urls import reverse

from portal.wizards import PREFIX
from registry.models import Application, RegistrationTemplate
from registry.services.registration import (
    application_replace_members,
    application_save_step,
    application_start,
)
from tests.factories import id_number_for

NAME = "长春市朝阳区福寿居家养老服务中心"
LEGAL_REPRESENTATIVE = "李秀英"


def step_url(application, step):
    return reverse("portal:application_wizard", args=[application.pk, step])


def post_step(client, application, step, data, **extra):
    payload = {f"{PREFIX}-current_step": step}
    payload.update({f"{step}-{key}": value for key, value in data.items()})
    payload.update(extra)
    return client.post(step_url(application, step), payload)


def basic_data(places, industry, unit=None, **overrides):
    data = {
        "name": NAME,
        "organization_type": "private_non_enterprise",
        "industry": industry.pk,
        "supervisory_unit": unit.pk if unit else "",
        "district": places["district"].pk,
        "street": places["street"].pk if places.get("street") else "",
        "address": "长春市朝阳区湖西路88号",
        "legal_representative": LEGAL_REPRESENTATIVE,
        "contact_person": "张伟",
        "contact_phone": "13904310001",
        "full_time_staff": "12",
    }
    if unit is None:
        data["direct_registration"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def pledge_data(**overrides):
    data = {"pledge_signed_by": LEGAL_REPRESENTATIVE, "pledge_signed_on": "2018-06-01"}
    data.update(overrides)
    return data


def member_row(**overrides):
    row = {
        "name": "王建国",
        "sex": "male",
        "id_number": id_number_for(),
        "status": "full",
        "full_membership_due_on": "",
        "joined_party_on": "2005-07-01",
        "role": "full_time_staff",
        "relationship": "transferred",
        "certificate_letter_on": "",
        "certificate_letter_issuer": "",
    }
    row.update(overrides)
    return row


def members_data(rows, *, no_party_members=False, initial=0, blank=0):
    """The members step's POST: management form, rows, blank extra rows, the checkbox."""
    data = {
        f"{PREFIX}-current_step": "members",
        "members-TOTAL_FORMS": str(len(rows) + blank),
        "members-INITIAL_FORMS": str(initial),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "200",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value is not None:
                data[f"members-{index}-{key}"] = value
    if no_party_members:
        data["members-no_party_members"] = "on"
    return data


def post_members(client, application, rows, **kwargs):
    return client.post(step_url(application, "members"), members_data(rows, **kwargs))


def review_data():
    return {f"{PREFIX}-current_step": "review", "review-confirm": "on"}


def complete_draft(applicant, places, industry, unit=None, members=3) -> Application:
    """A draft ready to submit, made through the services (not the wizard)."""
    application = application_start(applicant=applicant)
    application = application_save_step(
        application=application,
        by=applicant,
        name=NAME,
        organization_type="private_non_enterprise",
        industry=industry,
        direct_registration=unit is None,
        supervisory_unit=unit,
        legal_representative=LEGAL_REPRESENTATIVE,
        contact_person="张伟",
        contact_phone="13904310001",
        address="长春市朝阳区湖西路88号",
        district=places["district"],
        street=places["street"],
        full_time_staff=12,
        pledge_signed_by=LEGAL_REPRESENTATIVE,
        pledge_signed_on=datetime.date(2018, 6, 1),
    )
    application_replace_members(
        application=application,
        by=applicant,
        members=[
            {
                "name": f"党员{number}",
                "sex": "male",
                "id_number": id_number_for(),
                "status": "full",
                "role": "full_time_staff",
                "relationship": "transferred",
                "joined_party_on": datetime.date(2005, 7, 1),
            }
            for number in range(members)
        ],
        no_party_members=members == 0,
    )
    application.refresh_from_db()
    return application


def clause() -> str:
    return RegistrationTemplate.current().party_building_clause


def charter_filled(text: str) -> str:
    """The charter with the template's fill-in instructions replaced (issue 19: the charter step
    refuses them)."""
    return text.replace("（请填写本组织的宗旨）", "为居家老人提供助餐、助洁、助医服务").replace(
        "（请逐项填写）", "助餐、助洁、助医、日间照料"
    )
