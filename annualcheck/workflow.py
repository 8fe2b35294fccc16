"""The annual check's workflows (R-AC-1..5): the check itself and its rectification items, each
one table of moves and who makes them, applied by the shared mover (core.workflow). The
services move records through these; the pages ask `moves_for` of the same tables."""

from accounts import roles
from core.workflow import Transition, Workflow

from .choices import CheckStatus as S
from .choices import RectificationStatus as R
from .models import CLERK, REPORTER, SUPERVISOR, CheckEvent


def annual_check_acts_as(user, actor: str, annual_check) -> bool:
    """Whether `user` acts as `actor` on `annual_check`: the reporter is a user of the
    organization itself; the supervisory unit's users act for their unit's organizations only;
    clerks review every check."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if actor == REPORTER:
        return (
            user.has_role(roles.ORGANIZATION)
            and user.organization_id == annual_check.organization_id
        )
    if actor == SUPERVISOR:
        return (
            user.has_role(roles.SUPERVISORY_UNIT)
            and user.supervisory_unit_id is not None
            and user.supervisory_unit_id == annual_check.organization.supervisory_unit_id
        )
    if actor == CLERK:
        return user.is_clerk
    return False


ANNUAL_CHECK_WORKFLOW = Workflow(
    transitions=(
        Transition((S.DRAFT, S.RETURNED), S.SUBMITTED, (REPORTER,)),
        Transition((S.SUBMITTED,), S.PRE_REVIEWED, (SUPERVISOR,)),
        Transition((S.SUBMITTED,), S.RETURNED, (SUPERVISOR, CLERK)),
        Transition((S.PRE_REVIEWED,), S.RETURNED, (CLERK,)),
        # Direct-registered organizations skip the supervisory pre-review.
        Transition((S.SUBMITTED,), S.REVIEWED, (CLERK,), when=lambda c: not c.needs_pre_review),
        Transition((S.PRE_REVIEWED,), S.REVIEWED, (CLERK,)),
    ),
    acts_as=annual_check_acts_as,
    event_model=CheckEvent,
    event_link="annual_check",
)


def rectification_acts_as(user, actor: str, rectification) -> bool:
    """A rectification item's parties are those of its annual check."""
    return annual_check_acts_as(user, actor, rectification.annual_check)


RECTIFICATION_WORKFLOW = Workflow(
    transitions=(
        # The organization may answer again until the item is closed.
        Transition((R.OPEN, R.ANSWERED), R.ANSWERED, (REPORTER,)),
        Transition((R.ANSWERED,), R.CLOSED, (CLERK,)),
        Transition((R.ANSWERED, R.CLOSED), R.OPEN, (CLERK,)),
    ),
    acts_as=rectification_acts_as,
    event_model=CheckEvent,
    event_link="rectification",
    event_fields=lambda rectification: {"annual_check_id": rectification.annual_check_id},
)
