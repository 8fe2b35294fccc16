"""Signals credit sends to the apps above it (notifications connects in its AppConfig)."""

from django.dispatch import Signal

# Sent when a decision the organization must hear of is made on one of its entries: listed
# (R-CR-7), removed, moved to the serious list, or its removal request refused. Sent inside the
# service's transaction (a receiver that must wait for the commit uses transaction.on_commit).
# sender: ListEntry; keyword arguments: entry, to_status, by (None for the daily job), reason.
entry_decided = Signal()
