"""An organization's Party-building standing (R-PB-1..7): its figures computed live for any
day (`selectors`), stored for today in `Standing` and kept current by the writes and by the
calendar (`services`, `tasks`)."""
