"""Signals the Party-building app sends. Receivers live in receivers.py."""

from django.dispatch import Signal

# Sent by services.party_organization_found after its writes, inside the same transaction.
# Arguments: party_organization, organizations (list), founded_on (date), by (user or None).
party_organization_founded = Signal()
