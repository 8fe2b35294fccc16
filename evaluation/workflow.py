"""The grade evaluation's workflow (R-EV-1..5): who opens, scores and decides, in one table
applied by the shared mover (core.workflow). An organization applies for its own evaluation in
the portal; the registration authority's clerks (the evaluation committee's secretariat, the
users the staff pages let in: accounts.access.is_clerk) open, score and decide."""

from accounts import roles
from accounts.access import is_clerk
from core.workflow import Transition, Workflow

from .choices import EvaluationStatus as S
from .models import EvaluationEvent

APPLICANT, CLERK = "organization", "clerk"


def evaluation_acts_as(user, actor: str, evaluation) -> bool:
    """Whether `user` acts as `actor` on `evaluation` (saved or about to be opened)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if actor == CLERK:
        return is_clerk(user)
    if actor == APPLICANT:
        return (
            user.has_role(roles.ORGANIZATION)
            and user.organization_id is not None
            and user.organization_id == evaluation.organization_id
        )
    return False


# Who may open an evaluation (it has no status before: opening is not a move of the table).
OPENERS = (CLERK, APPLICANT)
# Who may enter points while it is being scored.
SCORERS = (CLERK,)

EVALUATION_WORKFLOW = Workflow(
    transitions=(Transition((S.SCORING,), S.DECIDED, (CLERK,)),),
    acts_as=evaluation_acts_as,
    event_model=EvaluationEvent,
    event_link="evaluation",
)
