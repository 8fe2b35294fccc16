"""The change-registration workflow (R-CHG-1..4): who may move a change application where, in
one table, and who acts as which party. The services (registry.services.changes) move
applications through `CHANGE_WORKFLOW.move`; pages ask `CHANGE_WORKFLOW.moves_for`."""

from accounts import roles
from core.workflow import Transition, Workflow

from .choices import ChangeStatus as S
from .models import ChangeEvent

APPLICANT, SUPERVISOR, CLERK = "applicant", "supervisory_unit", "clerk"


def change_acts_as(user, actor: str, change) -> bool:
    """The applicant is any user of the organization itself; the supervisory unit is the unit
    the organization had when it submitted; clerks with the right to change applications
    decide."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if actor == APPLICANT:
        return (
            user.has_role(roles.ORGANIZATION)
            and user.organization_id is not None
            and user.organization_id == change.organization_id
        )
    if actor == SUPERVISOR:
        return (
            user.has_role(roles.SUPERVISORY_UNIT)
            and user.supervisory_unit_id is not None
            and user.supervisory_unit_id == change.consenting_unit_id
        )
    if actor == CLERK:
        return user.is_clerk and user.has_perm("registry.change_changeapplication")
    return False


def _needs_consent(change) -> bool:
    return change.needs_consent


CHANGE_WORKFLOW = Workflow(
    transitions=(
        # To the supervisory unit first (R-CHG-3) …
        Transition((S.DRAFT, S.RETURNED), S.SUBMITTED, (APPLICANT,), when=_needs_consent),
        Transition((S.SUBMITTED,), S.CONSENTED, (SUPERVISOR,)),
        Transition((S.SUBMITTED,), S.RETURNED, (SUPERVISOR,)),
        Transition((S.SUBMITTED,), S.REJECTED, (SUPERVISOR,)),
        # … then filed with the registration authority within the deadline after consent;
        # an organization without a unit files at once.
        Transition((S.CONSENTED,), S.FILED, (APPLICANT,)),
        Transition(
            (S.DRAFT, S.RETURNED), S.FILED, (APPLICANT,), when=lambda c: not c.needs_consent
        ),
        Transition((S.FILED,), S.APPROVED, (CLERK,)),
        Transition((S.FILED,), S.RETURNED, (CLERK,)),
        Transition((S.FILED,), S.REJECTED, (CLERK,)),
    ),
    acts_as=change_acts_as,
    event_model=ChangeEvent,
    event_link="change",
)
