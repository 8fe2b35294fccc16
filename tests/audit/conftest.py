import pytest

from audit.models import AuditRecord


@pytest.fixture(autouse=True)
def empty_audit_log(db):
    """Start from an empty log: the migrations' group permissions are recorded at set-up."""
    everything = AuditRecord.objects.all()
    everything._raw_delete(everything.db)
