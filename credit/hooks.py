"""Where credit supervision plugs into the apps below it, connected from CreditConfig.ready():
the ledger's 信用状态 column, the organization admin's filter and panel, and the notes on the
annual-check review page."""

from django.utils.translation import gettext, pgettext


def annual_check_review_notes(sender, annual_check, **kwargs) -> list[tuple[str, list[str]]]:
    """The lists the organization is on today, for the clerk reviewing its annual check."""
    from .listings import listing_line, listings_of

    lines = [listing_line(entry) for entry in listings_of(annual_check.organization_id)]
    return [(pgettext("listing", "Credit status"), lines or [gettext("On neither list.")])]


def connect() -> None:
    from annualcheck.signals import review_notes_wanted
    from partybuilding.ledger.selectors import register_ledger_extension
    from registry.admin_extensions import register_organization_admin_extension

    from .ledger import CREDIT_STATUS
    from .organization_admin import CREDIT_ADMIN

    register_ledger_extension(CREDIT_STATUS)
    register_organization_admin_extension(CREDIT_ADMIN)
    review_notes_wanted.connect(
        annual_check_review_notes, dispatch_uid="credit.annual_check_review_notes"
    )
