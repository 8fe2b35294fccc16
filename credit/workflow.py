"""The workflow of a list entry (R-CR-5..13): one table of moves and who makes them, applied by
the shared mover (core.workflow). The services (credit.services) move entries through it; the
review pages and the portal ask `moves_for` of the same table.

    proposed → listed (clerk, the decision) | dismissed (clerk, the reason)
    listed → removal_requested (the organization) → removed (clerk) | listed (clerk refuses)
    listed → removed (clerk: in error R-CR-8, deregistered or term served R-CR-13;
                      the daily job: term expired R-CR-10)
    abnormal listed → escalated (clerk, on confirming the serious entry, R-CR-11)

The daily job acts as SYSTEM (user None): R-CR-10 says the authority removes the entry
("由登记管理机关将其移出") once the term is over, with nothing left to judge, so the job does it
and its event names no person."""

from accounts import roles
from core.workflow import Transition, Workflow

from .choices import CreditList
from .choices import EntryStatus as S
from .models import ListEntryEvent

CLERK = "clerk"
ORGANIZATION = "organization"
SYSTEM = "system"


def entry_acts_as(user, actor: str, entry) -> bool:
    """Whether `user` acts as `actor` on `entry`: the clerk on every entry, the organization's
    own users on its entries, the daily job (no user) as SYSTEM."""
    if actor == SYSTEM:
        return user is None
    if not (user and user.is_authenticated and user.is_active):
        return False
    if actor == CLERK:
        return user.is_clerk
    if actor == ORGANIZATION:
        return user.has_role(roles.ORGANIZATION) and user.organization_id == entry.organization_id
    return False


def _abnormal(entry) -> bool:
    return entry.credit_list == CreditList.ABNORMAL


ENTRY_WORKFLOW = Workflow(
    transitions=(
        Transition((S.PROPOSED,), S.LISTED, (CLERK,)),  # R-CR-7: with the decision
        Transition((S.PROPOSED,), S.DISMISSED, (CLERK,)),  # e.g. R-CR-5
        Transition((S.LISTED,), S.REMOVAL_REQUESTED, (ORGANIZATION,)),  # R-CR-9, R-CR-13 (a)
        Transition((S.REMOVAL_REQUESTED,), S.LISTED, (CLERK,)),  # the request refused
        Transition((S.LISTED, S.REMOVAL_REQUESTED), S.REMOVED, (CLERK, SYSTEM)),
        Transition((S.LISTED, S.REMOVAL_REQUESTED), S.ESCALATED, (CLERK,), when=_abnormal),
    ),
    acts_as=entry_acts_as,
    event_model=ListEntryEvent,
    event_link="entry",
)
