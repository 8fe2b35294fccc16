"""R-ID-2, the property itself (issue 13): whatever a user without the unmask permission can see
of a person anywhere (admin lists, change pages, history and history items of every registered
model admin, the application's print pages and review, the annual-check register on screen and
in print, the ledger export) leaves at least 10,000 resident ID numbers that fit.

The pages are rendered for every role that sees ID numbers masked; their text is searched for
the person's number, its masked forms and its birth date in the formats pages use; then the
numbers consistent with all of it are counted by enumeration (valid MOD 11-2 check character,
valid date). The count is deliberately generous to the attacker: the six region digits are
taken as known (region codes are few), the sex as known (pages show it), and the birth year as
known even when no page shows it."""

import calendar
import datetime
import html
import io
import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook
from stdnum.cn import ric

from accounts import roles
from annualcheck.services import annual_check_start, annual_check_submit
from core.identity import mask_id_number
from partybuilding.exports import write_ledger
from partybuilding.ledger.selectors import ledger_rows
from partybuilding.models import PartyMember
from partybuilding.services import party_member_create, party_member_update
from registry.models import Organization
from registry.services.registration import (
    application_replace_members,
    application_return,
    application_submit,
)
from tests.annualcheck.test_rules import filled
from tests.conftest import TwoFactorClient
from tests.factories import (
    OrganizationFactory,
    SupervisoryUnitFactory,
    make_organization_user,
    make_user,
)
from tests.registry.test_registration import complete_application, member

pytestmark = pytest.mark.django_db

MINIMUM_CANDIDATES = 10_000
BIRTH = datetime.date(1963, 5, 17)  # a year no other date of the fixtures falls in
REGION = "220104"


def person_number(sequence: int = 37, female: bool = True) -> str:
    body = f"{REGION}{BIRTH:%Y%m%d}{sequence:02d}{4 if female else 5}"
    return body + ric.calc_check_digit(body + "X")


NUMBER = person_number()
MASK_TOKEN = re.compile(r"(?<![0-9A-Za-z*])[0-9*]{17}[0-9X*](?![0-9A-Za-z*])")


def birth_date_texts(day: datetime.date) -> dict[str, list[str]]:
    """The ways a page may write the birth date, by what each gives away."""
    return {
        "day": [
            f"{day:%Y-%m-%d}",
            f"{day:%Y.%m.%d}",
            f"{day:%Y/%m/%d}",
            f"{day:%Y%m%d}",
            f"{day.year}年{day.month}月{day.day}日",
            f"{day.year}-{day.month}-{day.day}",
            f"{day:%B} {day.day}, {day.year}",
        ],
        "month": [
            f"{day:%Y.%m}",
            f"{day:%Y-%m}",
            f"{day:%Y/%m}",
            f"{day.year}年{day.month}月",
        ],
    }


def days_between(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def consistent_numbers(text: str, *, number: str, sex_known: bool, latest_birth) -> int:
    """How many valid numbers fit everything in `text` about the person holding `number`."""
    if number in text:
        return 1
    # Masks of this person (and any other mask that would fit: counted as knowledge too).
    masks = [
        token
        for token in set(MASK_TOKEN.findall(text))
        if "*" in token and all(c in ("*", n) for c, n in zip(token, number, strict=True))
    ]
    forms = birth_date_texts(BIRTH)
    if any(form in text for form in forms["day"]):
        window = [BIRTH]
    elif any(form in text for form in forms["month"]):
        last_day = calendar.monthrange(BIRTH.year, BIRTH.month)[1]
        window = list(days_between(BIRTH.replace(day=1), BIRTH.replace(day=last_day)))
    else:  # granted to the attacker, shown or not
        window = list(
            days_between(datetime.date(BIRTH.year, 1, 1), datetime.date(BIRTH.year, 12, 31))
        )
    window = [day for day in window if day <= latest_birth]
    parity = int(number[16]) % 2
    count = 0
    for day in window:
        prefix = f"{number[:6]}{day:%Y%m%d}"
        for sequence in range(1000):
            if sex_known and sequence % 2 != parity:
                continue
            body = f"{prefix}{sequence:03d}"
            candidate = body + ric.calc_check_digit(body + "X")
            if all(
                all(m == "*" or m == c for m, c in zip(mask, candidate, strict=True))
                for mask in masks
            ):
                count += 1
    return count


def admin_pages(client) -> list[str]:
    """Every list, change, history and history-item page the admin registry generates, for
    every object of every registered model: whatever the client's user may open."""
    pages = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        for obj in model._default_manager.all()[:20]:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            try:
                urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
                history = getattr(model, "history", None)
                for record in history.filter(**{model._meta.pk.attname: obj.pk}) if history else []:
                    urls.append(
                        reverse(
                            "admin:{}_{}_simple_history".format(*info),
                            args=[obj.pk, record.history_id],
                        )
                    )
            except NoReverseMatch:
                pass
        for url in urls:
            response = client.get(url)
            if response.status_code == 200:
                pages.append(response.content.decode())
    return pages


@pytest.fixture
def person_everywhere(clerk):
    """One person (NUMBER) as a Party member who changed since (history), on a submitted
    application's member form (reviewed, returned and resubmitted: two snapshots) and on a
    submitted annual check's member register."""
    unit = SupervisoryUnitFactory()
    organization = OrganizationFactory(supervisory_unit=unit)
    member_record = party_member_create(
        by=clerk,
        name="林秀梅",
        id_number=NUMBER,
        sex="female",
        status="full",
        role="full_time_staff",
        relationship="transferred",
        organization=organization,
        joined_party_on=datetime.date(1990, 7, 1),
    )
    party_member_update(member=member_record, by=clerk, phone="13904319876")
    organization_user = make_organization_user(organization)
    annual_check = annual_check_start(organization=organization, year=2017, by=organization_user)
    filled(annual_check, organization_user)
    annual_check_submit(
        annual_check=annual_check, by=organization_user, today=datetime.date(2018, 3, 20)
    )

    applicant = make_user(roles.APPLICANT, username="founder-lin")
    application = complete_application(applicant, unit=unit, members=0)
    row = member(name="林秀梅", sex="female", id_number=NUMBER)
    row["joined_party_on"] = datetime.date(1990, 7, 1)
    application_replace_members(
        application=application, by=applicant, members=[row], no_party_members=False
    )
    application_submit(application=application, by=applicant)
    application_return(application=application, by=clerk, remarks="请补充党员证明信。")
    application.refresh_from_db()
    application_submit(application=application, by=applicant)
    return {
        "organization": organization,
        "organization_user": organization_user,
        "unit": unit,
        "application": application,
        "annual_check": annual_check,
    }


def masked_viewers(person):
    return [
        make_user(roles.CLERK, username="clerk-masked"),
        make_user(roles.SUPERVISORY_UNIT, username="unit-masked", supervisory_unit=person["unit"]),
        make_user(roles.COMMITTEE, username="committee-masked"),
        make_user(roles.SYSTEM_ADMIN, username="sysadmin-masked"),
        make_user(roles.SECURITY_ADMIN, username="secadmin-masked"),
        make_user(roles.AUDIT_ADMIN, username="auditadmin-masked"),
        person["organization_user"],
    ]


def portal_pages(client, person) -> list[str]:
    application, annual_check = person["application"], person["annual_check"]
    urls = [
        reverse("portal:home"),
        reverse("portal:organization", args=[person["organization"].pk]),
        reverse("portal:annual_checks"),
        reverse("portal:annual_check", args=[annual_check.pk]),
        reverse("portal:annual_check_print", args=[annual_check.pk]),
        reverse("portal:print_charter", args=[application.pk]),
        reverse("portal:print_pledge", args=[application.pk]),
        *(
            reverse("portal:print_member_form", args=[application.pk, copy])
            for copy in ("archive", "supervisory_unit", "committee")
        ),
    ]
    pages = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            pages.append(response.content.decode())
    return pages


def export_text(user) -> str:
    target = io.BytesIO()
    write_ledger(target, ledger_rows(Organization.objects.all()), title="台账", user=user)
    workbook = load_workbook(io.BytesIO(target.getvalue()), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def everything_seen(person) -> tuple[str, int]:
    """The text of every page and export each masked viewer may open, and how many were open."""
    texts = []
    for user in masked_viewers(person):
        assert not user.has_perm("partybuilding.view_unmasked_id_number")
        client = TwoFactorClient()
        client.force_login(user)
        texts += admin_pages(client) + portal_pages(client, person)
        texts.append(export_text(user))
    return html.unescape("\n".join(texts)), len(texts)


def test_r_id_2_what_masked_users_see_leaves_ten_thousand_numbers(person_everywhere):
    text, count = everything_seen(person_everywhere)
    # The crawl did reach the person: their name on the pages, their number masked.
    assert count > 50 and text.count("林秀梅") >= 5
    assert mask_id_number(NUMBER) in text
    latest_birth = datetime.date(1990 - 18, 7, 1)  # members join at 18 or older
    candidates = consistent_numbers(text, number=NUMBER, sex_known=True, latest_birth=latest_birth)
    assert candidates >= MINIMUM_CANDIDATES, candidates


def test_r_id_2_the_count_sees_what_would_give_the_number_away():
    """The counting itself: a birth date beside the old mask leaves one number; the current
    mask alone, with the birth year granted, leaves more than ten thousand."""
    latest = datetime.date(2100, 1, 1)
    old_mask = f"{NUMBER[:6]}********{NUMBER[14:]}"
    assert (
        consistent_numbers(
            f"{old_mask} 出生日期 {BIRTH.year}年{BIRTH.month}月{BIRTH.day}日",
            number=NUMBER,
            sex_known=True,
            latest_birth=latest,
        )
        == 1
    )
    assert consistent_numbers(old_mask, number=NUMBER, sex_known=True, latest_birth=latest) < 400
    assert (
        consistent_numbers(
            f"{mask_id_number(NUMBER)} {BIRTH:%Y.%m}",
            number=NUMBER,
            sex_known=True,
            latest_birth=latest,
        )
        < MINIMUM_CANDIDATES
    )
    assert (
        consistent_numbers(
            mask_id_number(NUMBER), number=NUMBER, sex_known=True, latest_birth=latest
        )
        >= MINIMUM_CANDIDATES
    )


def test_r_id_2_the_mask_keeps_three_leading_and_one_trailing_character():
    assert mask_id_number(NUMBER) == NUMBER[:3] + "*" * 14 + NUMBER[-1]
    assert mask_id_number(mask_id_number(NUMBER)) == mask_id_number(NUMBER)
    # A number stored under the old mask is masked again by the same function (migration 0011).
    assert mask_id_number(f"{NUMBER[:6]}********{NUMBER[14:]}") == mask_id_number(NUMBER)


def test_r_id_2_old_snapshots_are_masked_again(person_everywhere):
    from importlib import import_module

    from django.apps import apps

    from registry.models import ApplicationSubmission

    submission = ApplicationSubmission.objects.filter(
        application=person_everywhere["application"]
    ).first()
    submission.snapshot["members"][0]["id_number"] = f"{NUMBER[:6]}********{NUMBER[14:]}"
    submission.save(update_fields=["snapshot"])
    migration = import_module("registry.migrations.0011_remask_submission_snapshots")
    migration.remask(apps, None)
    submission.refresh_from_db()
    assert submission.snapshot["members"][0]["id_number"] == mask_id_number(NUMBER)


def test_r_id_2_member_history_keeps_no_birth_date(clerk):
    assert "birth_date" not in {f.name for f in PartyMember.history.model._meta.fields}
