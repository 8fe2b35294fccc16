"""Which of the Party-building app's own records a user may see. The figures are read in the
packages: `standings`, `coverage`, `ledger`, `member_forms`."""

from django.db.models import QuerySet

from registry.selectors import organizations_visible_to

from .models import PartyMember, PartyOrganization


def party_members_visible_to(user) -> QuerySet:
    """Members of the organizations `user` may see (the registry's scoping, reused)."""
    return PartyMember.objects.filter(organization__in=organizations_visible_to(user).values("pk"))


def party_organizations_visible_to(user) -> QuerySet:
    """Party organizations covering at least one organization `user` may see."""
    if user.is_superuser or getattr(user, "is_clerk", False):
        return PartyOrganization.objects.all()
    return PartyOrganization.objects.filter(
        coverages__organization__in=organizations_visible_to(user).values("pk")
    ).distinct()
