"""Signals annual checks send to the apps above them (which it never imports)."""

from django.dispatch import Signal

# Asked when the clerk's review page of an annual check is shown (sender: AnnualCheck; argument:
# `annual_check`). A receiver answers with a list of notes, each (heading, [line, ...]) in the
# user's language, about the organization from its own records: credit supervision answers
# with the lists the organization is on (R-CR).
review_notes_wanted = Signal()
