"""Printing the member form with full ID numbers is recorded in the audit log (issue 8)."""

import pytest
from django.urls import reverse

from audit.choices import AuditAction
from audit.models import AuditRecord

from .test_print_pages import application  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_a_printout_with_full_numbers_is_recorded_once(client, applicant, application):  # noqa: F811
    url = reverse("portal:print_member_form", args=[application.pk, "archive"])
    client.force_login(applicant)
    assert application.members.first().id_number in client.get(url).content.decode()
    [record] = AuditRecord.objects.filter(action=AuditAction.UNMASKED_VIEW)
    assert record.details == {"count": application.members.count()}
    assert "党员情况表打印" in record.summary
