"""What the department API answers, field by field (its OpenAPI description in Chinese through
the catalogue). Rows are built explicitly from the selectors' records: a field is out unless
named here, so no phone, ID number, member or internal remark can leak by a model change
(R-API-1)."""

import datetime

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema


class Named(Schema):
    id: int = Field(description=_("Identifier (for the list filters)."))
    name: str = Field(description=_("Name."))


class Coded(Schema):
    code: str | None = Field(description=_("Stored code."))
    label: str | None = Field(description=_("What the code means, in the caller's language."))


class PartyBuilding(Schema):
    counted_members: int = Field(
        description=_("Party members counted for building a Party organization (R-PB-1).")
    )
    full_members: int = Field(description=_("Full Party members."))
    probationary_members: int = Field(description=_("Probationary Party members."))
    has_party_organization: bool = Field(
        description=_("Whether a Party organization of its own or a joint one covers it.")
    )
    has_own_party_organization: bool = Field(description=_("Whether it has its own."))
    party_organization_name: str | None = Field(description=_("The covering Party organization."))
    party_organization_mode: Coded = Field(description=_("How that Party organization was formed."))
    status: Coded = Field(description=_("Its Party-building standing today."))
    has_open_dispatch: bool = Field(description=_("Whether an instructor is dispatched to it."))


class Organization(Schema):
    credit_code: str = Field(description=_("Unified social credit code."))
    name: str = Field(description=_("Name."))
    organization_type: Coded = Field(description=_("Organization type."))
    status: Coded = Field(description=_("Registration status."))
    industry: Named
    district: Named
    supervisory_unit: Named | None = Field(
        description=_("Business supervisory unit (empty for direct registration).")
    )
    legal_representative: str = Field(description=_("Legal representative."))
    address: str = Field(description=_("Residence."))
    business_scope: str = Field(description=_("Business scope."))
    established_on: datetime.date = Field(description=_("Established on."))
    registered_on: datetime.date = Field(description=_("Registered on."))
    registration_ended_on: datetime.date | None = Field(
        description=_("Day its registration ended, if it has.")
    )
    updated_at: datetime.datetime = Field(description=_("Last changed at."))
    party_building: PartyBuilding


class OrganizationRef(Schema):
    credit_code: str = Field(description=_("Unified social credit code."))
    name: str = Field(description=_("Name."))


class AnnualCheck(Schema):
    organization: OrganizationRef
    year: int = Field(description=_("Year reported on."))
    status: Coded = Field(description=_("Where the check stands."))
    result: Coded = Field(description=_("Result of the annual check, once reviewed."))
    submitted_on: datetime.date | None = Field(description=_("Submitted on."))
    late: bool = Field(description=_("Whether it was filed late."))
    reviewed_on: datetime.date | None = Field(description=_("Reviewed on."))


class Evaluation(Schema):
    organization: OrganizationRef
    year: int = Field(description=_("Year of the evaluation."))
    status: Coded = Field(description=_("Where the evaluation stands."))
    grade: Coded = Field(description=_("Grade awarded, once decided."))
    decided_on: datetime.date | None = Field(description=_("Decided on."))
    valid_until: datetime.date | None = Field(description=_("The grade is valid until."))


class CreditEntry(Schema):
    organization: OrganizationRef
    credit_list: Coded = Field(description=_("Which list."))
    ground: Coded = Field(description=_("Ground of the listing."))
    status: Coded = Field(description=_("Where the entry stands."))
    proposed_on: datetime.date = Field(description=_("Proposed on."))
    listed_on: datetime.date | None = Field(description=_("Listed on."))
    decision_number: str = Field(description=_("Decision number."))
    removed_on: datetime.date | None = Field(description=_("Removed from the list on."))


class MemberFormCopy(Schema):
    organization: OrganizationRef
    kind: Coded = Field(description=_("Which copy."))
    filed_on: datetime.date = Field(description=_("Filed on."))
    acknowledged_at: datetime.datetime | None = Field(description=_("Acknowledged at."))
    overdue: bool = Field(description=_("Unacknowledged past the deadline (R-REG-3)."))


def page_of(item):
    class Page(Schema):
        items: list[item] = Field(description=_("The rows of this page, in a stable order."))
        next_cursor: str | None = Field(
            description=_("Pass as `cursor` for the next page; empty on the last page.")
        )

    Page.__name__ = f"{item.__name__}Page"
    return Page


class Error(Schema):
    detail: str = Field(description=_("What went wrong, in Chinese."))
    code: str = Field(description=_("A stable code for programs."))


# --- Rows from records ---------------------------------------------------------------------


def coded(record, field: str) -> dict:
    value = getattr(record, field)
    display = getattr(record, f"get_{field}_display", None)
    return {"code": value or None, "label": str(display()) if display and value else None}


def coded_choice(value, choices) -> dict:
    return {"code": value or None, "label": str(choices(value).label) if value else None}


def named(record) -> dict | None:
    return {"id": record.pk, "name": record.name} if record is not None else None


def organization_ref(organization) -> dict:
    return {"credit_code": organization.credit_code, "name": organization.name}


def party_building_row(organization) -> dict:
    from partybuilding.choices import FormationMode, PartyBuildingStatus

    own = bool(organization.has_own_party_organization)
    return {
        "counted_members": organization.counted_members or 0,
        "full_members": organization.full_members or 0,
        "probationary_members": organization.probationary_members or 0,
        "has_party_organization": own or bool(organization.has_joint_party_organization),
        "has_own_party_organization": own,
        "party_organization_name": organization.party_organization_name,
        "party_organization_mode": coded_choice(
            organization.party_organization_mode, FormationMode
        ),
        "status": coded_choice(organization.party_building_status, PartyBuildingStatus),
        "has_open_dispatch": bool(organization.has_open_dispatch),
    }


def organization_row(organization) -> dict:
    return {
        **organization_ref(organization),
        "organization_type": coded(organization, "organization_type"),
        "status": coded(organization, "status"),
        "industry": named(organization.industry),
        "district": named(organization.district),
        "supervisory_unit": named(organization.supervisory_unit),
        "legal_representative": organization.legal_representative,
        "address": organization.address,
        "business_scope": organization.business_scope,
        "established_on": organization.established_on,
        "registered_on": organization.registered_on,
        "registration_ended_on": organization.registration_ended_on,
        "updated_at": organization.updated_at,
        "party_building": party_building_row(organization),
    }


def annual_check_row(check) -> dict:
    return {
        "organization": organization_ref(check.organization),
        "year": check.year,
        "status": coded(check, "status"),
        "result": coded(check, "result"),
        "submitted_on": check.submitted_on,
        "late": check.late,
        "reviewed_on": check.reviewed_on,
    }


def evaluation_row(evaluation) -> dict:
    return {
        "organization": organization_ref(evaluation.organization),
        "year": evaluation.year,
        "status": coded(evaluation, "status"),
        "grade": coded(evaluation, "grade"),
        "decided_on": evaluation.decided_on,
        "valid_until": evaluation.valid_until,
    }


def credit_entry_row(entry) -> dict:
    return {
        "organization": organization_ref(entry.organization),
        "credit_list": coded(entry, "credit_list"),
        "ground": coded(entry, "ground"),
        "status": coded(entry, "status"),
        "proposed_on": entry.proposed_on,
        "listed_on": entry.listed_on,
        "decision_number": entry.decision_number,
        "removed_on": entry.removed_on,
    }


def member_form_copy_row(copy) -> dict:
    return {
        "organization": organization_ref(copy.organization),
        "kind": coded(copy, "kind"),
        "filed_on": copy.filed_on,
        "acknowledged_at": copy.acknowledged_at,
        "overdue": bool(copy.is_overdue),
    }
