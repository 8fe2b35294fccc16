"""Signals the Party-building app sends. Receivers live in receivers.py."""

from django.dispatch import Signal

# Sent by services.party_organization_found after its writes, inside the same transaction.
# Arguments: party_organization, organizations (list), founded_on (date), by (user or None).
party_organization_founded = Signal()

# Sent once when a bulk write of Party members or Party organizations
# (`partybuilding.bulk.PartyBulkWrite`) ends, inside its transaction: no post_save was sent for
# its rows. Arguments: organization_ids (frozenset: the social organizations whose figures the
# write changed), by (user or None).
party_records_changed_in_bulk = Signal()

# Sent by the coverage aggregates' writes (`coverage.aggregates`), inside the standings'
# transaction, when standings are created, deleted or change the keys the aggregates group by.
# Arguments: moved ({organization_id: (keys before or None, keys after or None)}, keys being
# `coverage.aggregates.standing_keys`: supervisory unit, status, district, industry).
standing_keys_moved = Signal()
