"""The demo's registration certificates (R-CERT-1..3): each organization's pair as the bureau
would have issued it, from its registration day, renewed at each expiry up to the demo's day,
so a clerk sees current certificates and their withdrawn predecessors."""

import datetime

from core import calendar
from registry.choices import CertificateReason, OrganizationStatus
from registry.services.certificates import issue_with_decision


def seed_certificates(*, organizations: dict, by) -> int:
    """Issue the certificates of the demo organizations that have none; returns how many
    organizations got theirs."""
    today = calendar.today()
    seeded = 0
    for organization in organizations.values():
        if organization.status != OrganizationStatus.ACTIVE or organization.certificates.exists():
            continue
        issued = issue_with_decision(
            organization=organization,
            by=by,
            reason=CertificateReason.REGISTRATION,
            issued_on=organization.registered_on,
        )
        while issued[0].valid_until < today:
            issued = issue_with_decision(
                organization=organization,
                by=by,
                reason=CertificateReason.EXPIRY,
                issued_on=issued[0].valid_until + datetime.timedelta(days=1),
            )
        seeded += 1
    return seeded
