import pytest
from django.core.exceptions import PermissionDenied

from audit.choices import AuditAction
from audit.models import AuditRecord
from audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


def test_a_saved_record_cannot_be_saved_again():
    record = audit_record(action=AuditAction.LOGIN, username="clerk")
    record.summary = "改写"
    with pytest.raises(PermissionDenied):
        record.save()
    assert AuditRecord.objects.get().summary == ""


def test_a_record_cannot_be_deleted():
    record = audit_record(action=AuditAction.LOGIN, username="clerk")
    with pytest.raises(PermissionDenied):
        record.delete()
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_bulk_update_and_delete_are_refused():
    audit_record(action=AuditAction.LOGIN, username="clerk")
    with pytest.raises(PermissionDenied):
        AuditRecord.objects.filter(username="clerk").update(username="nobody")
    with pytest.raises(PermissionDenied):
        AuditRecord.objects.all().delete()
    assert list(AuditRecord.objects.values_list("username", flat=True)) == ["clerk"]
    assert audit_verify().ok


def test_deleting_the_user_leaves_the_record_and_its_hash_untouched(clerk):
    audit_record(action=AuditAction.LOGIN, user=clerk)
    clerk.delete()
    record = AuditRecord.objects.get(action=AuditAction.LOGIN)
    assert record.username == "clerk-test"
    assert audit_verify().ok
