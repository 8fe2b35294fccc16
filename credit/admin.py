"""Credit supervision in the admin. The facts the daily job reads (penalties, rectification
notices, returned letters) are entered in `fact_admin`; the list entries, read-only beside their
review pages, are in `entry_admin`."""

from . import entry_admin, fact_admin  # noqa: F401  (registers the pages)
