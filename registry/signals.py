"""Signals the registry sends; higher apps (partybuilding …) listen in their AppConfig.ready()."""

from django.dispatch import Signal

# Sent after an organization is registered (its row exists). Arguments: organization, by,
# application (the approved application, when there is one).
organization_registered = Signal()
