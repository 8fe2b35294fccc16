"""The application's review page (registry admin): phones masked for roles without
registry.view_contact_phone, full ID numbers to holders of the permission recorded once."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts import roles
from audit.choices import AuditAction
from audit.models import AuditRecord
from core.identity import mask_phone
from tests.factories import SupervisoryUnitFactory, make_user
from tests.registry.test_review_admin import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return make_user(roles.APPLICANT, username="applicant-masking")


@pytest.fixture
def unit():
    return SupervisoryUnitFactory(name="长春市民政局养老服务处")


@pytest.fixture
def supervisor(unit):
    return make_user(roles.SUPERVISORY_UNIT, username="supervisor-masking", supervisory_unit=unit)


def test_the_application_page_masks_phones_without_the_permission(
    client, applicant, unit, supervisor
):
    application = submitted(applicant, unit=unit)
    for group in supervisor.groups.all():
        group.permissions.remove(Permission.objects.get(codename="view_contact_phone"))
    url = reverse("admin:registry_application_change", args=[application.pk])
    client.force_login(supervisor)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    phones = [application.contact_phone, *application.members.values_list("phone", flat=True)]
    for phone in filter(None, phones):
        assert phone not in body
        assert mask_phone(phone) in body


def test_full_member_numbers_on_the_application_page_are_recorded_once(client, clerk, applicant):
    application = submitted(applicant)
    clerk.user_permissions.add(Permission.objects.get(codename="view_unmasked_id_number"))
    client.force_login(clerk)
    body = client.get(
        reverse("admin:registry_application_change", args=[application.pk])
    ).content.decode()
    numbers = list(application.members.values_list("id_number", flat=True))
    assert all(number in body for number in numbers)
    [record] = AuditRecord.objects.filter(action=AuditAction.UNMASKED_VIEW)
    assert record.details == {"count": len(numbers)}


def test_the_ledger_page_masks_phones_for_the_committee(client, committee_user, clerk):
    from tests.factories import OrganizationFactory

    OrganizationFactory(contact_phone="13943210001")
    client.force_login(committee_user)
    body = client.get(reverse("partybuilding:ledger")).content.decode()
    assert "13943210001" not in body and "139****0001" in body
    client.force_login(clerk)
    assert "13943210001" in client.get(reverse("partybuilding:ledger")).content.decode()
