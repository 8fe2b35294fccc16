"""The registration workflow (R-REG-1..5): who may move an application where, in one table, and
who acts as which party. The services move applications through `APPLICATION_WORKFLOW.move`;
the review pages and the admin ask `application_moves_for` (registry.selectors): one answer."""

from accounts import roles
from core.workflow import Transition, Workflow

from .choices import ApplicationStatus as S
from .choices import DeregistrationKind
from .choices import DeregistrationStatus as D
from .models import ApplicationEvent, DeregistrationEvent
from .models.application import APPLICANT, CLERK, SUPERVISOR


def application_acts_as(user, actor: str, application) -> bool:
    """Whether `user` acts as `actor` on `application`: the applicant is the user who filed it;
    clerks with the right to change applications decide; a supervisory-unit user acts for its
    own unit only."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if actor == APPLICANT:
        return user.pk == application.applicant_id
    if actor == CLERK:
        return user.is_clerk and user.has_perm("registry.change_application")
    if actor == SUPERVISOR:
        return (
            user.has_role(roles.SUPERVISORY_UNIT)
            and user.supervisory_unit_id is not None
            and user.supervisory_unit_id == application.supervisory_unit_id
        )
    return False


APPLICATION_WORKFLOW = Workflow(
    transitions=(
        Transition((S.DRAFT, S.RETURNED), S.SUBMITTED, (APPLICANT,)),
        Transition((S.SUBMITTED,), S.CONSENTED, (SUPERVISOR,)),
        # The supervisory unit may also send it back instead of consenting.
        Transition((S.SUBMITTED,), S.RETURNED, (CLERK, SUPERVISOR)),
        Transition((S.CONSENTED,), S.RETURNED, (CLERK,)),
        # A direct registration has no consent to wait for.
        Transition((S.SUBMITTED,), S.APPROVED, (CLERK,), when=lambda a: not a.needs_consent),
        Transition((S.CONSENTED,), S.APPROVED, (CLERK,)),
        Transition((S.SUBMITTED, S.CONSENTED), S.REJECTED, (CLERK,)),
    ),
    acts_as=application_acts_as,
    event_model=ApplicationEvent,
    event_link="application",
)


# --- Deregistration and revocation (R-DEREG-1..9) ----------------------------------------------
# The organization applies (its own organization users), the supervisory unit consents, the
# clerk decides; a revocation is the clerk's decision alone, recorded on a record of its own.


def deregistration_acts_as(user, actor: str, deregistration) -> bool:
    """Whether `user` acts as `actor` on `deregistration`: the applicant is a user of the
    organization itself; clerks with the right to change deregistrations decide; a
    supervisory-unit user consents for its own unit only."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if actor == APPLICANT:
        return (
            user.has_role(roles.ORGANIZATION)
            and user.organization_id is not None
            and user.organization_id == deregistration.organization_id
        )
    if actor == CLERK:
        return user.is_clerk and user.has_perm("registry.change_deregistration")
    if actor == SUPERVISOR:
        return (
            user.has_role(roles.SUPERVISORY_UNIT)
            and user.supervisory_unit_id is not None
            and user.supervisory_unit_id == deregistration.supervisory_unit_id
        )
    return False


def _applied_for(record) -> bool:
    return record.kind == DeregistrationKind.DEREGISTRATION


DEREGISTRATION_WORKFLOW = Workflow(
    transitions=(
        Transition((D.DRAFT, D.RETURNED), D.SUBMITTED, (APPLICANT,), when=_applied_for),
        Transition((D.SUBMITTED,), D.CONSENTED, (SUPERVISOR,)),
        Transition((D.SUBMITTED,), D.RETURNED, (CLERK, SUPERVISOR)),
        Transition((D.CONSENTED,), D.RETURNED, (CLERK,)),
        # R-DEREG-2: a directly registered organization has no consent to wait for.
        Transition((D.SUBMITTED,), D.COMPLETED, (CLERK,), when=lambda d: not d.needs_consent),
        Transition((D.CONSENTED,), D.COMPLETED, (CLERK,)),
        Transition((D.SUBMITTED, D.CONSENTED), D.REJECTED, (CLERK,)),
        # R-DEREG-9: a revocation is decided by the clerk from its draft.
        Transition((D.DRAFT,), D.COMPLETED, (CLERK,), when=lambda d: not _applied_for(d)),
    ),
    acts_as=deregistration_acts_as,
    event_model=DeregistrationEvent,
    event_link="deregistration",
)
