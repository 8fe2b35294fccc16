"""Writes of the annual check (R-AC-1..6). Every move of a check or a rectification item goes
through the shared mover (core.workflow) with its table in annualcheck.workflow: the version the
page showed, the move, the actor's part, a CheckEvent row. Every step that saves checks the
version the page showed (core.concurrency), so of two tabs the second is refused. The
rectification items' own steps are in services.rectifications."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts import roles
from core import calendar
from core.concurrency import version_check_and_bump
from core.identity import repeated_id_number_errors
from partybuilding.choices import MemberStatus, Relationship
from partybuilding.models import PartyMember
from partybuilding.services import party_member_create, party_member_leave, party_member_update
from partybuilding.standings.selectors import with_party_building
from registry.models import Organization, RegistrationTemplate
from registry.models.member import MEMBER_DETAIL_FIELDS
from registry.services.registration import charter_has_clause

from ..choices import ITEMS, CheckResult, CheckStatus
from ..models import (
    CLERK,
    REPORTER,
    AnnualCheck,
    CheckEvent,
    CheckItem,
    PartyBuildingReport,
    Rectification,
    RegisterEntry,
    formation_mode_label,
)
from ..rules import exemption_cutoff, month_day
from ..workflow import ANNUAL_CHECK_WORKFLOW, annual_check_acts_as

S = CheckStatus


def is_exempt(*, organization: Organization, year: int) -> bool:
    """R-AC-2: organizations registered after 30 June of the year are not asked for it."""
    return organization.registered_on > exemption_cutoff(year)


def exemption_message(*, organization: Organization, year: int) -> str:
    """The Chinese notice shown to an organization that does not file `year`'s check — exempt
    (R-AC-2) or its registration ended (R-DEREG-10) — or "" when it must file."""
    if organization.registration_ended_on is not None:
        return gettext(
            "The organization's registration ended on %(date)s: it files no further annual check."
        ) % {"date": calendar.long_date(organization.registration_ended_on)}
    if not is_exempt(organization=organization, year=year):
        return ""
    return gettext(
        "The organization was registered on %(date)s: it is exempt from the annual check for "
        "%(year)s."
    ) % {"date": organization.registered_on, "year": year}


def deadline(*, annual_check: AnnualCheck) -> datetime.date:
    """R-AC-2: to the supervisory unit by 31 March, to the registration authority (direct
    registration) by 31 May, of the year after the one reported on."""
    key = "SUPERVISORY_DEADLINE" if annual_check.needs_pre_review else "AUTHORITY_DEADLINE"
    return month_day(annual_check.year + 1, settings.ANNUAL_CHECK[key])


def _move(
    annual_check: AnnualCheck, to: str, by, reason: str = "", expected_version: int | None = None
) -> CheckEvent:
    return ANNUAL_CHECK_WORKFLOW.move(
        annual_check, to, by, reason=reason, expected_version=expected_version
    )


def _locked(annual_check: AnnualCheck) -> AnnualCheck:
    return AnnualCheck.objects.select_for_update().get(pk=annual_check.pk)


@transaction.atomic
def annual_check_start(*, organization: Organization, year: int, by) -> AnnualCheck:
    """Open the year's check: the ten items (R-AC-1), the Party-building report and the member
    register prefilled from the records."""
    message = exemption_message(organization=organization, year=year)
    if message:
        raise ValidationError(message, code="exempt")
    if not (
        by.is_clerk or (by.has_role(roles.ORGANIZATION) and by.organization_id == organization.pk)
    ):
        raise PermissionDenied(gettext("You can only file your own organization's annual check."))
    existing = AnnualCheck.objects.filter(organization=organization, year=year).first()
    if existing:
        return existing
    annual_check = AnnualCheck(
        organization=organization,
        year=year,
        needs_pre_review=organization.supervisory_unit_id is not None,
    )
    annual_check._history_user = by
    annual_check.save()
    CheckItem.objects.bulk_create(
        CheckItem(annual_check=annual_check, number=number) for number, _label in ITEMS
    )
    PartyBuildingReport.objects.create(
        annual_check=annual_check, **known_party_building(organization=organization, year=year)
    )
    members = PartyMember.objects.filter(organization=organization, left_on__isnull=True)
    RegisterEntry.objects.bulk_create(
        RegisterEntry(
            annual_check=annual_check,
            party_member=member,
            **{field: getattr(member, field) for field in MEMBER_DETAIL_FIELDS},
        )
        for member in members
    )
    return annual_check


def known_party_building(*, organization: Organization, year: int) -> dict:
    """What the records say for item 1, to prefill the form and to compare with it later."""
    end = datetime.date(year, 12, 31)
    row = with_party_building(Organization.objects.filter(pk=organization.pk), as_of=end).get()
    members = PartyMember.objects.filter(organization=organization)
    active = members.filter(left_on__isnull=True)
    template = RegistrationTemplate.current()
    application = getattr(organization, "application", None)
    figures = {
        "full_time_staff": organization.full_time_staff,
        "party_organization_name": row.party_organization_name or "",
        "formation_mode": row.party_organization_mode or "",
        "full_members": active.filter(status=MemberStatus.FULL).count(),
        "probationary_members": active.filter(status=MemberStatus.PROBATIONARY).count(),
        "floating_members": active.filter(relationship=Relationship.FLOATING).count(),
        "part_time_members": active.filter(role="part_time_staff").count(),
        "joined_this_year": members.filter(joined_party_on__year=year).count(),
        "left_this_year": members.filter(left_on__year=year).count(),
        "instructor": row.instructor_name or "",
        "charter_has_clause": bool(
            application
            and charter_has_clause(application.charter_text, template.party_building_clause)
        ),
    }
    return {**figures, "known": figures}


def _require_editable(annual_check: AnnualCheck, by, expected_version: int | None) -> None:
    """The organization's own check, still editable, unchanged since the page was built from
    `expected_version`; the check's version moves on with the step's save (_saved_by)."""
    if not annual_check_acts_as(by, REPORTER, annual_check):
        raise PermissionDenied(
            gettext("You can only fill in your own organization's annual check.")
        )
    if not annual_check.is_editable:
        raise ValidationError(
            gettext(
                "The annual check has been submitted; it cannot be changed while it is reviewed."
            ),
            code="not_editable",
        )
    version_check_and_bump(annual_check, expected_version)


def _saved_by(annual_check: AnnualCheck, by) -> None:
    """Save the check itself with a step that changed its parts: its version moves on (another
    tab's page is now stale) and its history names who made the step."""
    annual_check._history_user = by
    annual_check.save()


@transaction.atomic
def annual_check_save_item(
    *,
    annual_check: AnnualCheck,
    by,
    number: int,
    report: str,
    expected_version: int | None = None,
):
    annual_check = _locked(annual_check)
    _require_editable(annual_check, by, expected_version)
    item = annual_check.items.get(number=number)
    item.report = report
    item.full_clean()
    item.save()
    _saved_by(annual_check, by)
    return item


@transaction.atomic
def party_building_report_save(
    *, annual_check: AnnualCheck, by, expected_version: int | None = None, **fields
):
    annual_check = _locked(annual_check)
    _require_editable(annual_check, by, expected_version)
    report = annual_check.party_building
    for field, value in fields.items():
        setattr(report, field, value)
    report.full_clean()
    report.save()
    _saved_by(annual_check, by)
    return report


def party_building_differences(report: PartyBuildingReport) -> list[tuple[str, object, object]]:
    """Figures the organization entered that differ from the records: highlighted to reviewers."""
    labels = {f.name: str(f.verbose_name) for f in PartyBuildingReport._meta.fields}
    return [
        (labels[field], _shown(field, known), _shown(field, getattr(report, field)))
        for field, known in report.known.items()
        if getattr(report, field) != known
    ]


def _shown(field: str, value):
    """A report value as people read it: the formation mode's label, 是/否 for yes/no."""
    if field == "formation_mode":
        return formation_mode_label(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return value


@transaction.atomic
def annual_check_submit(
    *, annual_check: AnnualCheck, by, today=None, expected_version: int | None = None
) -> AnnualCheck:
    """Submit; late filing is accepted and marked late (R-AC-2). Refused when someone changed
    the check (say, returned it) since the page showed `expected_version`."""
    annual_check = _locked(annual_check)
    version_check_and_bump(annual_check, expected_version)
    today = today or calendar.today()
    report = annual_check.party_building
    problems = []
    if not report.party_organization_name and not (
        report.no_party_organization_reason.strip() and report.work_coverage.strip()
    ):
        problems.append(
            gettext(
                "Item 1, Party building: without a Party organization, give the reason and how "
                "the Party's work reaches the organization."
            )
        )
    if problems:
        raise ValidationError(problems, code="incomplete")
    annual_check.submitted_on = today
    annual_check.late = today > deadline(annual_check=annual_check)
    _move(
        annual_check,
        S.SUBMITTED,
        by,
        reason=gettext("submitted late") if annual_check.late else "",
        expected_version=expected_version,
    )
    return annual_check


@transaction.atomic
def annual_check_pre_review(
    *,
    annual_check: AnnualCheck,
    by,
    opinion: str,
    passed: bool,
    expected_version: int | None = None,
) -> AnnualCheck:
    """The supervisory unit's pre-review (初审): pass it on to the clerk, or return it."""
    annual_check = _locked(annual_check)
    version_check_and_bump(annual_check, expected_version)
    if not opinion.strip():
        raise ValidationError(gettext("Give the pre-review opinion."), code="opinion")
    annual_check.supervisory_opinion = opinion.strip()
    _move(
        annual_check,
        S.PRE_REVIEWED if passed else S.RETURNED,
        by,
        reason=opinion.strip(),
        expected_version=expected_version,
    )
    return annual_check


@transaction.atomic
def annual_check_return(
    *, annual_check: AnnualCheck, by, remarks: str, expected_version: int | None = None
) -> AnnualCheck:
    annual_check = _locked(annual_check)
    version_check_and_bump(annual_check, expected_version)
    if not remarks.strip():
        raise ValidationError(
            gettext("Say what to correct when returning the annual check."), code="remarks"
        )
    _move(annual_check, S.RETURNED, by, remarks.strip(), expected_version)
    return annual_check


@transaction.atomic
def annual_check_item_opinions_save(
    *, annual_check: AnnualCheck, by, opinions: dict[int, str], expected_version: int | None = None
) -> list[CheckItem]:
    """The clerk's opinion on each of the ten items (R-AC-1), while the check awaits review.
    The check itself is saved too, so its history (and a stale page's refusal) names the clerk."""
    annual_check = _locked(annual_check)
    if not annual_check_acts_as(by, CLERK, annual_check):
        raise PermissionDenied(gettext("Only the registration authority gives the review opinion."))
    version_check_and_bump(annual_check, expected_version)
    items = _write_opinions(annual_check, opinions)
    annual_check._history_user = by
    annual_check.save()
    return items


def _write_opinions(annual_check: AnnualCheck, opinions: dict[int, str]) -> list[CheckItem]:
    if annual_check.status == S.REVIEWED or annual_check.is_editable:
        raise ValidationError(
            gettext("The annual check is “%(status)s”: no review opinion can be given."),
            code="transition",
            params={"status": annual_check.get_status_display()},
        )
    items = list(annual_check.items.filter(number__in=list(opinions)))
    for item in items:
        item.clerk_opinion = (opinions[item.number] or "").strip()
    CheckItem.objects.bulk_update(items, ["clerk_opinion"])
    return items


def default_result(*, annual_check: AnnualCheck, as_of=None) -> str:
    """R-AC-4: an organization that is 应建未建 is judged 不合格 unless a clerk says why not."""
    row = with_party_building(
        Organization.objects.filter(pk=annual_check.organization_id), as_of=as_of
    ).get()
    return CheckResult.UNQUALIFIED if row.should_build_not_built else ""


@transaction.atomic
def annual_check_review(
    *,
    annual_check: AnnualCheck,
    by,
    result: str,
    reason: str = "",
    rectifications=(),
    today=None,
    opinions: dict[int, str] | None = None,
    expected_version: int | None = None,
) -> AnnualCheck:
    """The clerk's result (R-AC-3), the R-AC-4 default and its written exception, the
    Party-building problems as rectification items (R-AC-5), and the member register's
    accepted changes written back to the Party-building records; with `opinions`, the clerk's
    opinions on the items are saved in the same step."""
    annual_check = _locked(annual_check)
    version_check_and_bump(annual_check, expected_version)
    if opinions is not None:
        _write_opinions(annual_check, opinions)
    today = today or calendar.today()
    if result not in CheckResult.values:
        raise ValidationError(gettext("Choose the result of the annual check."), code="result")
    implied = default_result(annual_check=annual_check, as_of=today)
    if implied and result != implied and not reason.strip():
        raise ValidationError(
            gettext(
                "The organization should have built a Party organization and has not: the result "
                "is unqualified unless a reason is given for another."
            ),
            code="reason_required",
        )
    annual_check.result = result
    annual_check.default_result = implied
    annual_check.result_reason = reason.strip()
    annual_check.reviewed_on = today
    annual_check.reviewed_by = by
    _move(annual_check, S.REVIEWED, by, reason.strip(), expected_version)
    for problem, due_on in rectifications:
        rectification = Rectification(annual_check=annual_check, problem=problem, due_on=due_on)
        rectification.full_clean()
        rectification._history_user = by
        rectification.save()
    _accept_register(annual_check, by, today)
    return annual_check


def _accept_register(annual_check: AnnualCheck, by, today) -> None:
    for entry in annual_check.register.select_related("party_member"):
        member = entry.party_member or PartyMember.objects.with_id_number(entry.id_number).first()
        values = {field: getattr(entry, field) for field in MEMBER_DETAIL_FIELDS}
        if member is None:
            if entry.left_on is None:
                party_member_create(by=by, organization=annual_check.organization, **values)
            continue
        if member.organization_id != annual_check.organization_id:
            continue  # on file with another organization: the clerk settles that by hand
        changed = {f: v for f, v in values.items() if getattr(member, f) != v}
        if changed:
            party_member_update(member=member, by=by, **changed)
        if entry.left_on and member.left_on is None:
            party_member_leave(
                member=member,
                left_on=entry.left_on,
                reason=entry.left_reason
                or gettext("left, as the annual check's member register says"),
                by=by,
            )


@transaction.atomic
def register_replace(
    *, annual_check: AnnualCheck, by, rows: list[dict], expected_version: int | None = None
) -> list[RegisterEntry]:
    """Replace the member register 《党员登记表》 with `rows` (R-AC-1). A row whose ID number is
    already on the register keeps its link to the Party-building record; every row is checked
    before anything is written, and only while the check may be edited."""
    annual_check = _locked(annual_check)
    _require_editable(annual_check, by, expected_version)
    links = dict(annual_check.register.values_list("id_number_digest", "party_member_id"))
    entry_of_row, errors = {}, []
    for number, row in enumerate(rows, start=1):
        entry = RegisterEntry(annual_check=annual_check, **row)
        try:
            entry.full_clean(exclude=["annual_check", "party_member"], validate_constraints=False)
        except ValidationError as error:
            errors += [
                gettext("Row %(row)s: %(message)s") % {"row": number, "message": message}
                for message in error.messages
            ]
            continue
        entry.party_member_id = links.get(entry.id_number_digest)  # full_clean() set it
        entry_of_row[number] = entry
    errors += repeated_id_number_errors(
        (number, entry.id_number) for number, entry in entry_of_row.items()
    )
    if errors:
        raise ValidationError(errors, code="register")
    annual_check.register.all().delete()
    entries = RegisterEntry.objects.bulk_create(entry_of_row.values())
    _saved_by(annual_check, by)
    return entries
