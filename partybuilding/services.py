"""Writes of the Party-building app. Each service is atomic, validates, and records its author."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registry.choices import OrganizationStatus

from .choices import OWN_MODES, FormationMode, PartyOrganizationKind
from .models import (
    Coverage,
    Dispatch,
    IndustryLead,
    PartyMember,
    PartyOrganization,
)
from .signals import party_organization_founded


def save_with_author(instance, by):
    """Validate and save `instance`, its history row naming `by`."""
    instance.full_clean()
    instance._history_user = by
    instance.save()
    return instance


def party_organization_check_founding(*, formation_mode: str, organizations) -> None:
    """The founding rules alone (R-PB-8..10), for forms to call before the service does."""
    organizations = list(dict.fromkeys(organizations))
    count = len(organizations)
    if formation_mode in (FormationMode.STANDALONE, FormationMode.DISPATCHED) and count != 1:
        raise ValidationError(
            _(
                "A standalone or dispatched-help Party organization covers exactly one social "
                "organization (%(count)s given)."
            )
            % {"count": count},
            code="standalone_one",
        )
    if formation_mode == FormationMode.JOINT and count < 2:
        raise ValidationError(
            _(
                "A joint Party organization covers two or more social organizations "
                "(%(count)s given)."
            )
            % {"count": count},
            code="joint_two",
        )
    if count == 0:
        raise ValidationError(_("Choose the social organizations it covers."), code="none")
    inactive = [o.name for o in organizations if o.status != OrganizationStatus.ACTIVE]
    if inactive:
        raise ValidationError(
            _("Only active social organizations can be covered: %(names)s.")
            % {"names": "、".join(inactive)},
            code="inactive",
        )
    if formation_mode in OWN_MODES:
        already = (
            Coverage.objects.filter(
                organization__in=organizations,
                party_organization__dissolved_on__isnull=True,
                party_organization__formation_mode__in=OWN_MODES,
            )
            .select_related("organization", "party_organization")
            .first()
        )
        if already:
            raise ValidationError(
                _("%(organization)s already has its own Party organization, %(party)s.")
                % {"organization": already.organization, "party": already.party_organization},
                code="already_own",
            )


@transaction.atomic
def party_organization_found(
    *,
    name: str,
    kind: str,
    formation_mode: str,
    organizations,
    founded_on: datetime.date,
    by,
    secretary: str = "",
    parent_body=None,
    e_branch_joined_on=None,
) -> PartyOrganization:
    """Found a Party organization (R-PB-8..11) covering `organizations`.

    Standalone and dispatched-help organizations cover exactly one organization, joint ones two
    or more (R-PB-8, R-PB-9), lead-led ones at least the lead (R-PB-10). Sends
    `party_organization_founded`, whose receiver ends open dispatches that day (R-PB-11)."""
    organizations = list(dict.fromkeys(organizations))
    party_organization_check_founding(formation_mode=formation_mode, organizations=organizations)
    party_organization = save_with_author(
        PartyOrganization(
            name=name,
            kind=kind,
            formation_mode=formation_mode,
            founded_on=founded_on,
            secretary=secretary,
            parent_body=parent_body,
            e_branch_joined_on=e_branch_joined_on,
        ),
        by,
    )
    for organization in organizations:
        coverage = Coverage(party_organization=party_organization, organization=organization)
        save_with_author(coverage, by)
    party_organization_founded.send(
        sender=PartyOrganization,
        party_organization=party_organization,
        organizations=organizations,
        founded_on=founded_on,
        by=by,
    )
    return party_organization


def party_organization_warnings(*, party_organization: PartyOrganization) -> list[str]:
    """R-PB-12 size tiers and the joint-branch size (R-PB-3): warnings, never blocks."""
    config = settings.PARTY_BUILDING
    members = party_organization.members.filter(left_on__isnull=True).count()
    covered = covered_count(party_organization)
    warnings = []
    expected = PartyOrganizationKind.BRANCH
    if members >= config["COMMITTEE_FROM"]:
        expected = PartyOrganizationKind.COMMITTEE
    elif members >= config["GENERAL_BRANCH_FROM"]:
        expected = PartyOrganizationKind.GENERAL_BRANCH
    branch_kinds = {
        PartyOrganizationKind.BRANCH,
        PartyOrganizationKind.JOINT_BRANCH,
        PartyOrganizationKind.TEMPORARY_BRANCH,
    }
    kind_fits = (
        (party_organization.kind in branch_kinds)
        if expected == PartyOrganizationKind.BRANCH
        else party_organization.kind == expected
    )
    if members and not kind_fits:
        warnings.append(
            _("%(members)s members: a Party organization of this size is usually a %(kind)s.")
            % {"members": members, "kind": PartyOrganizationKind(expected).label}
        )
    if members and members < config["STANDALONE_MIN_MEMBERS"]:
        warnings.append(
            _("%(members)s members: a Party branch needs at least %(minimum)s.")
            % {"members": members, "minimum": config["STANDALONE_MIN_MEMBERS"]}
        )
    if (
        party_organization.formation_mode == FormationMode.JOINT
        and covered > config["JOINT_BRANCH_MAX_ORGANIZATIONS"]
    ):
        warnings.append(
            _(
                "A joint branch generally covers at most %(maximum)s organizations; this one "
                "covers %(count)s."
            )
            % {"maximum": config["JOINT_BRANCH_MAX_ORGANIZATIONS"], "count": covered}
        )
    if (
        party_organization.formation_mode == FormationMode.JOINT
        and party_organization.is_active
        and covered < 2
    ):
        # R-DEREG-7: an organization it covered has left (its registration ended).
        warnings.append(
            _(
                "A joint branch covers two or more organizations; this one now covers "
                "%(count)s: merge it or re-form it."
            )
            % {"count": covered}
        )
    return warnings


@transaction.atomic
def party_organization_dissolve(*, party_organization, dissolved_on, by) -> PartyOrganization:
    """Dissolve a Party organization: it stops covering its organizations from that day."""
    party_organization.dissolved_on = dissolved_on
    return save_with_author(party_organization, by)


@transaction.atomic
def dispatch_start(
    *,
    organization,
    dispatched_branch,
    instructor_name,
    instructor_unit,
    instructor_phone,
    started_on,
    by,
) -> Dispatch:
    """R-PB-4 / R-PB-11: send a branch and an instructor to an organization not yet covered."""
    dispatch_check_start(organization=organization)
    return save_with_author(
        Dispatch(
            organization=organization,
            dispatched_branch=dispatched_branch,
            instructor_name=instructor_name,
            instructor_unit=instructor_unit,
            instructor_phone=instructor_phone,
            started_on=started_on,
        ),
        by,
    )


def dispatch_check_start(*, organization) -> None:
    """No dispatch to an organization a Party organization already covers (R-PB-11)."""
    covered = (
        Coverage.objects.filter(
            organization=organization, party_organization__dissolved_on__isnull=True
        )
        .select_related("party_organization")
        .first()
    )
    if covered:
        raise ValidationError(
            _("%(organization)s is already covered by %(party)s; no dispatch is needed.")
            % {"organization": organization, "party": covered.party_organization},
            code="covered",
        )


@transaction.atomic
def dispatch_end(*, dispatch: Dispatch, ended_on, reason: str, by) -> Dispatch:
    """End a dispatch by hand (the organization was deregistered, the instructor replaced …)."""
    if not dispatch.is_open:
        raise ValidationError(_("This dispatch has already ended."), code="ended")
    dispatch.ended_on = ended_on
    dispatch.end_reason = reason
    return save_with_author(dispatch, by)


def dispatches_end_for_founding(*, organizations, party_organization, ended_on, by) -> int:
    """R-PB-11: the organizations' open dispatches end on the founding day. Returns how many."""
    ended = 0
    for dispatch in Dispatch.objects.filter(organization__in=organizations, ended_on__isnull=True):
        dispatch.ended_on = max(ended_on, dispatch.started_on)
        dispatch.end_reason = _("Own Party organization founded: %(name)s") % {
            "name": party_organization.name
        }
        save_with_author(dispatch, by)
        ended += 1
    return ended


@transaction.atomic
def party_member_create(*, by, **fields) -> PartyMember:
    """Record a Party member (R-ID-2 checks the ID number; it is stored once)."""
    return save_with_author(PartyMember(**fields), by)


@transaction.atomic
def party_member_update(*, member: PartyMember, by, **changes) -> PartyMember:
    for field, value in changes.items():
        setattr(member, field, value)
    return save_with_author(member, by)


@transaction.atomic
def party_member_leave(*, member: PartyMember, left_on, reason: str, by) -> PartyMember:
    """A member leaves the organization; they stop counting from that day (R-PB-1)."""
    return party_member_update(member=member, by=by, left_on=left_on, left_reason=reason)


@transaction.atomic
def industry_lead_designate(
    *, industry, lead_organization, driven_organizations, designated_on, by
) -> IndustryLead:
    """R-PB-10: make an organization its industry's lead and name the organizations it drives."""
    lead, _created = IndustryLead.objects.get_or_create(
        industry=industry,
        lead_organization=lead_organization,
        defaults={"designated_on": designated_on},
    )
    lead.designated_on = designated_on
    save_with_author(lead, by)
    lead.driven_organizations.set([o for o in driven_organizations if o != lead_organization])
    return lead


# --- Deregistration (R-DEREG-5, R-DEREG-7) -------------------------------------------------------


@transaction.atomic
def party_member_transfer_out(
    *, member: PartyMember, transferred_on: datetime.date, destination: str, by
) -> PartyMember:
    """R-DEREG-5: the member's Party relationship is transferred out (组织关系转接) to
    `destination`; the member leaves the organization that day (R-PB-1 stops counting them
    from then on), and the history keeps who recorded it."""
    destination = (destination or "").strip()
    if member.joined_party_on and transferred_on < member.joined_party_on:
        raise ValidationError(
            {"transferred_out_on": _("The transfer cannot precede joining the Party.")}
        )
    return party_member_update(
        member=member,
        by=by,
        transferred_out_on=transferred_on,
        transferred_out_to=destination,
        left_on=transferred_on,
        left_reason=_("Relationship transferred to %(destination)s") % {"destination": destination}
        if destination
        else "",
    )


@transaction.atomic
def coverage_end(*, coverage: Coverage, ended_on: datetime.date, reason: str, by) -> Coverage:
    """The organization leaves a Party organization's coverage from `ended_on` (its Party work
    transferred elsewhere, or its registration ended). Kept, not deleted: the days before
    still count it as covered (R-DEREG-8)."""
    if ended_on < coverage.party_organization.founded_on:
        raise ValidationError(
            {"ended_on": _("The coverage cannot end before the Party organization was founded.")}
        )
    coverage.ended_on = ended_on
    coverage.end_reason = reason
    return save_with_author(coverage, by)


def open_coverages(organization, on: datetime.date):
    """The coverages of `organization` in force on `on` and after (not ended by then, by a
    Party organization not dissolved by then)."""
    from django.db.models import Q

    return Coverage.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on),
        Q(party_organization__dissolved_on__isnull=True)
        | Q(party_organization__dissolved_on__gt=on),
        organization=organization,
    ).select_related("party_organization")


def deregistration_blockers(*, organization, on: datetime.date) -> list[str]:
    """R-DEREG-5: what stands in the way of ending `organization`'s registration on `on`: its
    own Party organization (standalone, lead-led or formed after dispatched help) neither
    dissolved nor transferred by then, and members whose relationship is not transferred out.
    A joint branch is no obstacle: the organization leaves its coverage (R-DEREG-7)."""
    blockers = []
    own = [
        coverage.party_organization.name
        for coverage in open_coverages(organization, on)
        if coverage.party_organization.formation_mode in OWN_MODES
    ]
    if own:
        blockers.append(
            _(
                "its Party organization %(names)s is neither dissolved nor transferred "
                "(dissolve it, or end its coverage of the organization)."
            )
            % {"names": "、".join(own)}
        )
    from django.db.models import Q

    staying = list(
        PartyMember.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .filter(organization=organization)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if staying:
        blockers.append(
            _(
                "the Party relationship of %(count)s members is not recorded as transferred "
                "out: %(names)s."
            )
            % {"count": len(staying), "names": "、".join(staying)}
        )
    return blockers


@transaction.atomic
def coverages_end_at_registration_end(*, organization, on: datetime.date, by) -> list:
    """R-DEREG-7: when an organization's registration ends, it leaves every Party organization
    still covering it (a joint branch goes on for the others). Returns the joint Party
    organizations left covering fewer than two organizations: they are flagged (their warnings
    say so) for the committee to merge or re-form."""
    flagged = []
    for coverage in open_coverages(organization, on):
        coverage_end(
            coverage=coverage,
            ended_on=on,
            reason=_("The organization's registration ended."),
            by=by,
        )
        party_organization = coverage.party_organization
        if (
            party_organization.formation_mode == FormationMode.JOINT
            and covered_count(party_organization, on) < 2
        ):
            flagged.append(party_organization)
    return flagged


def covered_count(party_organization: PartyOrganization, on: datetime.date | None = None) -> int:
    """How many organizations `party_organization` covers on `on` (default: today)."""
    from django.db.models import Q

    from core import calendar

    on = on or calendar.today()
    return party_organization.coverages.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    ).count()
