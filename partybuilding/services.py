"""Writes of the Party-building app. Each service is atomic, validates, and records its author."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core import calendar
from registry.choices import CopyKind, OrganizationStatus

from .choices import FormationMode, PartyOrganizationKind
from .models import (
    Coverage,
    Dispatch,
    IndustryLead,
    MemberFormCopy,
    PartyMember,
    PartyOrganization,
    Standing,
)
from .signals import party_organization_founded

OWN_MODES = (FormationMode.STANDALONE, FormationMode.LEAD, FormationMode.DISPATCHED)


def _save(instance, by):
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
    party_organization = _save(
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
        _save(Coverage(party_organization=party_organization, organization=organization), by)
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
    covered = party_organization.coverages.count()
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
    return warnings


@transaction.atomic
def party_organization_dissolve(*, party_organization, dissolved_on, by) -> PartyOrganization:
    """Dissolve a Party organization: it stops covering its organizations from that day."""
    party_organization.dissolved_on = dissolved_on
    return _save(party_organization, by)


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
    return _save(
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
    return _save(dispatch, by)


def dispatches_end_for_founding(*, organizations, party_organization, ended_on, by) -> int:
    """R-PB-11: the organizations' open dispatches end on the founding day. Returns how many."""
    ended = 0
    for dispatch in Dispatch.objects.filter(organization__in=organizations, ended_on__isnull=True):
        dispatch.ended_on = max(ended_on, dispatch.started_on)
        dispatch.end_reason = _("Own Party organization founded: %(name)s") % {
            "name": party_organization.name
        }
        _save(dispatch, by)
        ended += 1
    return ended


@transaction.atomic
def party_member_create(*, by, **fields) -> PartyMember:
    """Record a Party member (R-ID-2 checks the ID number; it is stored once)."""
    return _save(PartyMember(**fields), by)


@transaction.atomic
def party_member_update(*, member: PartyMember, by, **changes) -> PartyMember:
    for field, value in changes.items():
        setattr(member, field, value)
    return _save(member, by)


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
    _save(lead, by)
    lead.driven_organizations.set([o for o in driven_organizations if o != lead_organization])
    return lead


@transaction.atomic
def member_form_file(*, organization, application, by) -> list:
    """R-REG-3 on approval: the member form's rows become Party members of the new organization,
    and the form is filed in triplicate (archive, supervisory unit, committee)."""

    notes = []
    for row in application.members.all():
        if PartyMember.objects.with_id_number(row.id_number).exists():
            # One person, one record (R-ID-2): someone already on file elsewhere is not copied.
            notes.append(
                _(
                    "%(name)s is already on file with another organization and was not "
                    "recorded twice."
                )
                % {"name": row.name}
            )
            continue
        party_member_create(
            by=by,
            organization=organization,
            name=row.name,
            sex=row.sex,
            id_number=row.id_number,
            status=row.status,
            full_membership_due_on=row.full_membership_due_on,
            joined_party_on=row.joined_party_on,
            role=row.role,
            relationship=row.relationship,
            certificate_letter_on=row.certificate_letter_on,
            certificate_letter_issuer=row.certificate_letter_issuer,
            phone=row.phone,
        )
    filed_on = calendar.today()
    recipients = [(CopyKind.ARCHIVE, {})]
    if organization.supervisory_unit_id:
        recipients.append(
            (CopyKind.SUPERVISORY_UNIT, {"supervisory_unit": organization.supervisory_unit})
        )
    recipients.append(
        (CopyKind.COMMITTEE, {"party_building_body": organization.party_building_body})
    )
    copies = []
    for kind, recipient in recipients:
        copy = MemberFormCopy(
            application=application,
            organization=organization,
            kind=kind,
            filed_on=filed_on,
            note="\n".join(notes),
            **recipient,
        )
        copies.append(_save(copy, by))
    return copies


@transaction.atomic
def member_form_copy_acknowledge(*, copy, by):
    """The recipient confirms it has received its copy (R-REG-3)."""

    if not member_form_copy_is_addressed_to(copy=copy, user=by):
        raise PermissionDenied
    if copy.acknowledged_at:
        return copy
    copy.acknowledged_at = timezone.now()
    copy.acknowledged_by = by
    return _save(copy, by)


def member_form_copy_is_addressed_to(*, copy, user) -> bool:

    if copy.kind == CopyKind.SUPERVISORY_UNIT:
        return (
            user.has_role(roles.SUPERVISORY_UNIT)
            and user.supervisory_unit_id == copy.supervisory_unit_id
        )
    if copy.kind == CopyKind.COMMITTEE:
        return user.has_role(roles.COMMITTEE)
    return user.is_clerk


STANDINGS_CHUNK = 20000


ORGANIZATION_COPIES = ("status", "registered_on", "district_id", "industry_id")


def standings_refresh(
    organization_ids=None, *, today: datetime.date | None = None, chunk_size: int = STANDINGS_CHUNK
) -> int:
    """Recompute the stored Party-building figures (`Standing`) of these organizations, or of
    all of them (None), a chunk at a time, with the copies of the organization fields they are
    scoped and grouped by. Every write to organizations, members, Party organizations,
    coverages or dispatches ends here: model saves through the receivers, bulk writes by
    calling it. Returns how many organizations it wrote."""
    from .selectors import EMPTY_STANDING, STANDING_FIELDS, standing_boundaries, standing_figures

    today = today or calendar.today()
    written = 0
    for chunk, condition in _organization_chunks(organization_ids, chunk_size):
        figures = standing_figures(condition, as_of=today)
        boundaries = standing_boundaries(condition, today)
        _upsert_standings(
            [
                {
                    "organization_id": organization["pk"],
                    **{name: organization[name] for name in ORGANIZATION_COPIES},
                    "computed_on": today,
                    "valid_until": boundaries.get(organization["pk"]),
                    **figures.get(organization["pk"], EMPTY_STANDING),
                }
                for organization in chunk
            ],
            STANDING_FIELDS,
        )
        written += len(chunk)
    return written


STANDINGS_UPSERT_CHUNK = 2000


def _upsert_standings(rows: list[dict], figure_fields) -> None:
    """INSERT … ON CONFLICT (organization_id) DO UPDATE, by executemany (SQLite ≥ 3.24 and
    PostgreSQL): what bulk_create(update_conflicts=True) writes, without building a model
    instance and compiling every value through the ORM — that took most of the refresh's time
    in the ledger import's profile (100,000 organizations)."""
    from django.db import connections, router

    if not rows:
        return
    connection = connections[router.db_for_write(Standing)]
    quote = connection.ops.quote_name
    columns = [
        "organization_id",
        *ORGANIZATION_COPIES,
        *figure_fields,
        "computed_on",
        "valid_until",
    ]
    dates = {"registered_on", "computed_on", "valid_until"}
    updates = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in columns[1:])
    sql = (
        f"INSERT INTO {quote(Standing._meta.db_table)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({quote('organization_id')}) DO UPDATE SET {updates}"
    )
    adapt = connection.ops.adapt_datefield_value
    values = [
        [adapt(row[column]) if column in dates else row[column] for column in columns]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), STANDINGS_UPSERT_CHUNK):
            cursor.executemany(sql, values[start : start + STANDINGS_UPSERT_CHUNK])


def _organization_chunks(organization_ids, chunk_size: int):
    """(organizations as dicts of the copied fields, the matching condition on
    organization_id) for each chunk of existing organizations. All of them go by primary-key
    range, so each pass reads members, coverages and dispatches by index range rather than by
    a long list of ids."""
    from django.db.models import Q

    from registry.models import Organization

    fields = ("pk", *ORGANIZATION_COPIES)
    if organization_ids is None:
        last_pk = 0
        while chunk := list(
            Organization.objects.filter(pk__gt=last_pk).order_by("pk").values(*fields)[:chunk_size]
        ):
            yield chunk, Q(organization_id__gt=last_pk, organization_id__lte=chunk[-1]["pk"])
            last_pk = chunk[-1]["pk"]
        return
    wanted = sorted(set(organization_ids))
    for start in range(0, len(wanted), chunk_size):
        chunk = list(
            Organization.objects.filter(pk__in=wanted[start : start + chunk_size]).values(*fields)
        )
        if chunk:
            yield chunk, Q(organization_id__in=[row["pk"] for row in chunk])


def standings_refresh_due(today: datetime.date) -> int:
    """Recompute the rows whose figures changed by the calendar alone (a member's leaving date,
    a dispatch's end … entered in advance). One indexed query when nothing is due."""
    refreshed = 0
    while due := list(
        Standing.objects.filter(valid_until__lte=today).values_list("organization_id", flat=True)[
            :STANDINGS_CHUNK
        ]
    ):
        refreshed += standings_refresh(due, today=today)
    return refreshed
