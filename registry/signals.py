"""Signals the registry sends; higher apps (partybuilding …) listen in their AppConfig.ready()."""

from django.dispatch import Signal

# Sent after an organization is registered (its row exists). Arguments: organization, by,
# application (the approved application, when there is one).
organization_registered = Signal()

# Sent once when a bulk write (`registry.services.bulk.OrganizationsBulkWrite`) of
# organizations ends, inside its transaction: their rows were written around save(), so no
# post_save was sent for them. Arguments: organization_ids (a frozenset), by (user or None).
organizations_changed_in_bulk = Signal()

# Sent when an approved change application has been written to the organization (R-CHG-4),
# inside the approval's transaction. Arguments: organization, change (the ChangeApplication),
# changed (the changed items: {item: (before, after)} in display form), by,
# previous_party_building_body (the body before the approval). The Party-building
# app answers it (R-CHG-6: the committee's copy; the Party-building responsibility moved).
organization_changed = Signal()
# Asked before an organization's registration ends (R-DEREG-5): what still stands in the way
# on the Party-building side. Arguments: sender (Organization), organization, on (the date).
# A receiver returns a list of translated messages (empty when nothing does).
deregistration_blockers = Signal()

# Sent when an organization's registration has ended (deregistered or revoked), inside the
# deciding transaction. Arguments: organization, deregistration (the record), on (the date), by.
organization_registration_ended = Signal()
