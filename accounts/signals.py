"""Signals the accounts app sends; apps connect to them in their AppConfig.ready() (the audit
log to the first two, the registry to the last: both may not be imported by accounts)."""

from django.dispatch import Signal

# A login name has just been locked after repeated failed logins.
# Arguments: sender, username, ip_address, locked_until.
account_locked = Signal()

# A security administrator lifted a lock early. Arguments: sender, username, by.
account_unlocked = Signal()

# Asked when an authenticator app is set up: the name shown as the issuer of its codes (the
# registry answers with the bureau's name). Arguments: sender. A receiver returns the name.
otp_issuer_wanted = Signal()
