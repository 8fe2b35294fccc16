"""Phone numbers (issue 8, MLPS 2.0 level 3 personal data): full for roles that need them
(registry.view_contact_phone: clerks, supervisory units), masked for the others in the admin
and in the exported ledger; the export_ledger command, run by the operator, writes them whole."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from core.identity import mask_phone, phone_for_display
from partybuilding.exports import LEDGER_SHEET, ledger_headers, write_ledger
from partybuilding.ledger.selectors import ledger_rows
from partybuilding.models import Dispatch
from registry.models import Organization
from tests.factories import OrganizationFactory, PartyMemberFactory

pytestmark = pytest.mark.django_db

MOBILE = "13943210001"
LANDLINE = "0431-88881234"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        (MOBILE, "139****0001"),
        (LANDLINE, "0431-****1234"),
        ("043188881234", "0431****1234"),
        ("024-8888123-12", "024-***8123"),
        ("", ""),
    ],
)
def test_mask_phone_keeps_the_prefix_or_area_code_and_the_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked


def test_phone_for_display_follows_the_permission(clerk, committee_user):
    assert phone_for_display(MOBILE, clerk) == MOBILE
    assert phone_for_display(MOBILE, committee_user) == "139****0001"
    assert phone_for_display(MOBILE, None) == "139****0001"


def test_the_member_page_masks_the_phone_for_the_committee_and_shows_it_to_a_clerk(
    client, clerk, committee_user
):
    member = PartyMemberFactory(phone=MOBILE)
    url = reverse("admin:partybuilding_partymember_change", args=[member.pk])

    client.force_login(committee_user)
    page = client.get(url)
    assert page.status_code == 200
    assert MOBILE not in page.content.decode()
    assert "139****0001" in page.content.decode()

    client.force_login(clerk)
    assert MOBILE in client.get(url).content.decode()


def test_the_dispatch_page_masks_the_instructor_phone_for_the_committee(
    client, clerk, committee_user
):
    dispatch = Dispatch.objects.create(
        organization=OrganizationFactory(),
        dispatched_branch="市民政局机关党委",
        instructor_name="刘指导",
        instructor_unit="市民政局",
        instructor_phone=LANDLINE,
        started_on=datetime.date(2018, 1, 2),
    )
    change = reverse("admin:partybuilding_dispatch_change", args=[dispatch.pk])

    client.force_login(committee_user)
    body = client.get(change).content.decode()
    assert LANDLINE not in body
    assert "0431-****1234" in body

    client.force_login(clerk)
    assert LANDLINE in client.get(change).content.decode()


def _phones_in(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True)[LEDGER_SHEET]
    column = ledger_headers().index("联系电话")
    return [row[column] for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_the_ledger_masks_phones_for_the_committee_not_for_a_clerk_or_the_command(
    clerk, committee_user
):
    OrganizationFactory(contact_phone=MOBILE)

    def ledger(user) -> list[str]:
        handle = io.BytesIO()
        write_ledger(handle, ledger_rows(Organization.objects.all()), title="台账", user=user)
        return _phones_in(handle.getvalue())

    assert ledger(committee_user) == ["139****0001"]
    assert ledger(clerk) == [MOBILE]
    assert ledger(None) == [MOBILE]  # export_ledger: the operator's own copy


def test_the_organization_page_masks_the_contact_phone_for_the_committee(
    client, clerk, committee_user
):
    organization = OrganizationFactory(contact_phone=MOBILE)
    url = reverse("admin:registry_organization_change", args=[organization.pk])

    client.force_login(committee_user)
    page = client.get(url)
    assert page.status_code == 200
    assert MOBILE not in page.content.decode()
    assert "139****0001" in page.content.decode()

    client.force_login(clerk)
    page = client.get(url).content.decode()
    assert f'value="{MOBILE}"' in page  # still an editable field for the clerk
