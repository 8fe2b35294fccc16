"""What stops a change application from being submitted (R-CHG-1, 2, 5, 7), step by step, and
the charter in force: the reads registry.services.changes checks before it moves anything."""

from dataclasses import dataclass

from django.utils.translation import gettext

from ..choices import ChangeKind, OrganizationStatus
from ..choices import ChangeStatus as S
from ..models import ChangeApplication, Organization, RegistrationTemplate
from ..models.change import CHANGE_ITEMS, ITEM_LABELS
from .registration import charter_has_clause


@dataclass(frozen=True)
class ChangeProblem:
    """One thing that stops a change application from being submitted: the wizard step (its
    name) where the organization puts it right, and the message."""

    step: str
    message: str

    def __str__(self):
        return self.message


ITEMS, VALUES, PLEDGE, CHARTER = "items", "values", "pledge", "charter"


def current_charter(organization: Organization) -> str:
    """The organization's charter in force: its last approved amendment, else the charter it
    registered with (R-CHG-2)."""
    amended = (
        ChangeApplication.objects.filter(
            organization=organization, kind=ChangeKind.CHARTER, status=S.APPROVED
        )
        .order_by("-decided_at", "-pk")
        .values_list("charter_text", flat=True)
        .first()
    )
    if amended is not None:
        return amended
    application = getattr(organization, "application", None)
    return application.charter_text if application is not None else ""


def _label(field: str) -> str:
    return str(ChangeApplication._meta.get_field(field).verbose_name)


def _value_problems(change: ChangeApplication) -> list[ChangeProblem]:
    organization, problems = change.organization, []

    def problem(message, **params):
        problems.append(ChangeProblem(VALUES, message % params))

    fill = gettext("Step 2, new values: fill in “%(field)s”.")
    same = gettext(
        "Step 2, new values: “%(field)s” is the same as now; enter the new value or untick "
        "the item in step 1."
    )
    for item in change.items:
        if item == "supervisory_unit":
            if not change.supervisory_unit_id and not change.direct_registration:
                problem(
                    gettext(
                        "Step 2, new values: choose the new business supervisory unit, or no "
                        "unit (direct registration)."
                    )
                )
            elif change.supervisory_unit_id == organization.supervisory_unit_id:
                problem(same, field=_label("supervisory_unit"))
            continue
        required = [f for f in CHANGE_ITEMS[item] if f != "street"]
        missing = [f for f in required if getattr(change, f) in (None, "")]
        for field in missing:
            problem(fill, field=_label(field))
        if missing:
            continue
        if all(
            getattr(change, f"{f}_id" if f in ("district", "street", "industry") else f)
            == getattr(organization, f"{f}_id" if f in ("district", "street", "industry") else f)
            for f in CHANGE_ITEMS[item]
        ):
            problem(same, field=str(ITEM_LABELS[item]))
    if "residence" in change.items and change.street_id and change.district_id:
        if change.street.district_id != change.district_id:
            problem(
                gettext("Step 2, new values: “%(street)s” is not in %(district)s."),
                street=change.street.name,
                district=change.district.name,
            )
    if "name" in change.items and change.name:
        taken = (
            Organization.objects.filter(name=change.name.strip(), status=OrganizationStatus.ACTIVE)
            .exclude(pk=organization.pk)
            .exists()
        )
        if taken:
            problem(
                gettext("Step 2, new values: another organization is registered as “%(name)s”."),
                name=change.name.strip(),
            )
    return problems


def change_problems(change: ChangeApplication) -> list[ChangeProblem]:
    """What stops the application from being submitted, step by step."""
    if change.is_charter:
        return _charter_problems(change)
    problems = []
    if not change.items:
        problems.append(
            ChangeProblem(
                ITEMS,
                gettext("Step 1, items changed: tick at least one registered item that changes."),
            )
        )
    if not change.reason.strip():
        problems.append(
            ChangeProblem(
                ITEMS,
                gettext(
                    "Step 1, items changed: give the reason for the change (the decision that "
                    "made it)."
                ),
            )
        )
    problems += _value_problems(change)
    if change.changes_legal_representative and change.legal_representative:
        if not (change.pledge_signed_by and change.pledge_signed_on):
            problems.append(
                ChangeProblem(
                    PLEDGE,
                    gettext(
                        "Step 3, Party-building pledge: the new legal representative signs it "
                        "with his or her name and the date."
                    ),
                )
            )
        elif change.pledge_signed_by.strip() != change.legal_representative.strip():
            problems.append(
                ChangeProblem(
                    PLEDGE,
                    gettext(
                        "Step 3, Party-building pledge: the signatory must be the new legal "
                        "representative, “%(name)s”."
                    )
                    % {"name": change.legal_representative},
                )
            )
    return problems


def _charter_problems(change: ChangeApplication) -> list[ChangeProblem]:
    problems = []
    clause = RegistrationTemplate.current().party_building_clause
    if not charter_has_clause(change.charter_text, clause):
        problems.append(
            ChangeProblem(
                CHARTER,
                gettext(
                    "Step 1, amended charter: the charter must contain the Party-building "
                    "clause; put it back."
                ),
            )
        )
    if change.charter_text.strip() == current_charter(change.organization).strip():
        problems.append(
            ChangeProblem(
                CHARTER,
                gettext("Step 1, amended charter: the charter is the same as the one in force."),
            )
        )
    if not change.reason.strip():
        problems.append(
            ChangeProblem(
                CHARTER,
                gettext(
                    "Step 1, amended charter: explain what the amendment changes and which "
                    "meeting adopted it."
                ),
            )
        )
    return problems
