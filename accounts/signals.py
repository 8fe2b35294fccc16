"""Signals the accounts app sends; other apps (audit) connect to them."""

from django.dispatch import Signal

# A login name has just been locked after repeated failed logins.
# Arguments: sender, username, ip_address, locked_until.
account_locked = Signal()

# A security administrator lifted a lock early. Arguments: sender, username, by.
account_unlocked = Signal()
