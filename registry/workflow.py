"""The registration workflow (R-REG-1..5): who may move an application where, in one table, and
who acts as which party. The services move applications through `APPLICATION_WORKFLOW.move`;
the review pages and the admin ask `application_moves_for` (registry.selectors): one answer."""

from accounts import roles
from core.workflow import Transition, Workflow

from .choices import ApplicationStatus as S
from .models import ApplicationEvent
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
