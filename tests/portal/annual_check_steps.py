"""Posting the annual-check wizard's steps the way a browser does (style §12):
`<prefix>-current_step` plus `<step>-<field>` keys, and the management form for the register."""

from django.urls import reverse

from annualcheck.services import annual_check_start, party_building_report_save
from portal.annual_check_wizard import ITEM_STEPS, PREFIX
from tests.factories import make_organization_user

YEAR = 2017


def step_url(annual_check, step):
    return reverse("portal:annual_check_wizard", args=[annual_check.pk, step])


def prefixed(step, data):
    payload = {f"{PREFIX}-current_step": step}
    payload.update({f"{step}-{key}": value for key, value in data.items()})
    return payload


def post_step(client, annual_check, step, data, **extra):
    return client.post(step_url(annual_check, step), {**prefixed(step, data), **extra})


def party_building_data(**overrides):
    data = {
        "full_time_staff": "5",  # as on record (OrganizationFactory)
        "party_organization_name": "长春市某中心党支部",
        "formation_mode": "standalone",
        "secretary": "王书记",
        "full_members": "3",
        "probationary_members": "0",
        "floating_members": "0",
        "part_time_members": "0",
        "joined_this_year": "0",
        "left_this_year": "0",
        "activities_held": "12",
        "activities": "每月一次主题党日",
        "instructor": "",
        "charter_has_clause": "on",
        "no_party_organization_reason": "",
        "work_coverage": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def register_row(entry=None, **overrides):
    row = {
        "name": "王建国",
        "sex": "male",
        "id_number": "",
        "status": "full",
        "full_membership_due_on": "",
        "joined_party_on": "2005-07-01",
        "role": "full_time_staff",
        "relationship": "transferred",
        "certificate_letter_on": "",
        "certificate_letter_issuer": "",
        "phone": "",
        "left_on": "",
        "left_reason": "",
    }
    if entry is not None:
        row.update(
            name=entry.name,
            sex=entry.sex,
            id_number=entry.id_number,
            status=entry.status,
            joined_party_on=entry.joined_party_on.isoformat() if entry.joined_party_on else "",
            role=entry.role,
            relationship=entry.relationship,
        )
    row.update(overrides)
    return row


def register_data(rows, *, initial=None):
    """The register step's POST. Like the browser, every posted row counts as an initial row
    unless `initial` says otherwise (extra rows left unchanged are ignored by the formset)."""
    data = {
        f"{PREFIX}-current_step": "register",
        "register-TOTAL_FORMS": str(len(rows)),
        "register-INITIAL_FORMS": str(len(rows) if initial is None else initial),
        "register-MIN_NUM_FORMS": "0",
        "register-MAX_NUM_FORMS": "500",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"register-{index}-{key}"] = value
    return data


def post_register(client, annual_check, rows, **kwargs):
    return client.post(step_url(annual_check, "register"), register_data(rows, **kwargs))


def item_steps():
    return list(ITEM_STEPS)


def review_data():
    return {f"{PREFIX}-current_step": "review", "review-confirm": "on"}


def started(organization, *, year=YEAR, user=None):
    user = user or make_organization_user(organization)
    return annual_check_start(organization=organization, year=year, by=user), user


def complete(annual_check, user, *, text="本年度无变化"):
    """Fill item 1 and items 2–10 through the services."""
    from annualcheck.services import annual_check_save_item

    party_building_report_save(
        annual_check=annual_check, by=user, party_organization_name="某党支部"
    )
    for number in ITEM_STEPS.values():
        annual_check_save_item(annual_check=annual_check, by=user, number=number, report=text)
    return annual_check
