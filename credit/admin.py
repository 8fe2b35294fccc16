"""Credit supervision in the admin. The facts the daily job reads (penalties, rectification
notices, returned letters) are entered in `fact_admin`."""

from . import fact_admin  # noqa: F401  (registers the pages)
