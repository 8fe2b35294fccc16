"""Registration certificates (R-CERT-1..5): issued with the registration, reissued after a
change, withdrawn at the end, printed by clerks, checked by anyone through the QR code."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts import roles
from audit.models import AuditRecord
from registry.choices import (
    CertificateKind,
    CertificateReason,
    CertificateStatus,
    ChangeKind,
    OrganizationStatus,
)
from registry.models import Certificate, CertificateEvent, Organization
from registry.services.certificates import (
    certificates_issue,
    valid_until,
    withdraw_with_decision,
)
from registry.services.changes import (
    change_approve,
    change_consent,
    change_file,
    change_save_step,
    change_start,
    change_submit,
)
from registry.services.registration import application_approve, application_submit
from tests.factories import (
    IndustryFactory,
    OrganizationFactory,
    SupervisoryUnitFactory,
    make_organization_user,
    make_user,
)
from tests.hostile import assert_pages_show_text, hostile_settings, post_hostile_form, rolled_back
from tests.registry.test_registration import complete_application

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2018, 7, 2)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("core.calendar.today", lambda: TODAY)


@pytest.fixture
def unit():
    return SupervisoryUnitFactory(name="长春市民政局养老服务处")


@pytest.fixture
def organization(unit):
    return OrganizationFactory(
        name="长春市福寿居家养老服务中心",
        organization_type="private_non_enterprise",
        supervisory_unit=unit,
        legal_representative="张明",
        business_scope="居家养老服务",
        registered_capital=Decimal("30000.00"),
    )


@pytest.fixture
def issued(organization, clerk):
    return certificates_issue(
        organization=organization, by=clerk, reason=CertificateReason.REGISTRATION
    )


def valid(organization):
    return list(organization.certificates.filter(status=CertificateStatus.VALID).order_by("kind"))


# --- R-CERT-1 ----------------------------------------------------------------------------------


def test_r_cert_1_approving_a_registration_issues_the_original_and_the_duplicate(clerk):
    applicant = make_user(roles.APPLICANT, username="applicant-cert")
    application = complete_application(applicant)
    application_submit(application=application, by=applicant)
    organization = application_approve(
        application=application, by=clerk, registered_on=datetime.date(2018, 6, 20)
    )
    certificates = valid(organization)
    assert [c.kind for c in certificates] == [CertificateKind.DUPLICATE, CertificateKind.ORIGINAL]
    for certificate in certificates:
        assert certificate.issued_on == datetime.date(2018, 6, 20)
        assert certificate.issue_reason == CertificateReason.REGISTRATION
        assert certificate.issued_by == clerk
        assert certificate.credit_code == organization.credit_code


def test_r_cert_1_an_organization_from_before_gets_its_first_pair_from_the_issue_page(
    client, clerk, organization
):
    client.force_login(clerk)
    url = reverse("registry:certificates_issue", args=[organization.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert [value for value, _label in page.context["form"].fields["reason"].choices] == [
        "registration"
    ]
    response = client.post(url, {"reason": "registration", "remarks": "", "shown": ""})
    assert response.status_code == 302
    assert len(valid(organization)) == 2


# --- R-CERT-2 ----------------------------------------------------------------------------------


def test_r_cert_2_a_certificate_keeps_what_it_printed(organization, issued):
    original = next(c for c in issued if c.kind == CertificateKind.ORIGINAL)
    assert original.name == "长春市福寿居家养老服务中心"
    assert original.business_scope == "居家养老服务"
    assert original.registered_capital == Decimal("30000.00")
    assert original.supervisory_unit_name == "长春市民政局养老服务处"
    assert original.valid_until == datetime.date(2023, 7, 1)
    assert original.serial == "2018-000001"
    assert {c.serial for c in issued} == {"2018-000001", "2018-000002"}
    Organization.objects.filter(pk=organization.pk).update(name="别的名称")
    original.refresh_from_db()
    assert original.name == "长春市福寿居家养老服务中心"


def test_r_cert_2_validity_is_the_setting_less_a_day(settings):
    settings.REGISTRY = {**settings.REGISTRY, "CERTIFICATE_VALIDITY_YEARS": 4}
    assert valid_until(datetime.date(2018, 7, 2)) == datetime.date(2022, 7, 1)
    assert valid_until(datetime.date(2016, 2, 29)) == datetime.date(2020, 2, 28)


def test_r_cert_2_the_print_page_shows_the_items_and_a_qr_code(client, clerk, issued):
    client.force_login(clerk)
    original = next(c for c in issued if c.kind == CertificateKind.ORIGINAL)
    page = client.get(reverse("registry:certificate_print", args=[original.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "民办非企业单位法人登记证书" in text and "开办资金" in text
    assert "30,000.00元" in text and "2018年07月02日" in text and "<svg" in text
    assert page.context["public_url"].endswith(f"/public/certificates/{original.token}/")


# --- R-CERT-3 ----------------------------------------------------------------------------------


def approved_change(organization, unit, clerk, **values):
    reporter = make_organization_user(organization)
    supervisor = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)
    change = change_start(organization=organization, by=reporter, kind=ChangeKind.CHANGE)
    change = change_save_step(change=change, by=reporter, items=list(values), reason="决议")
    fields = {field: value for item in values.values() for field, value in item.items()}
    change = change_save_step(change=change, by=reporter, **fields)
    change = change_submit(change=change, by=reporter)
    change = change_consent(change=change, by=supervisor, opinion="同意。")
    change = change_file(change=change, by=reporter)
    return change_approve(change=change, by=clerk)


def test_r_cert_3_an_approved_change_of_a_printed_item_reissues_the_pair(
    organization, unit, clerk, issued
):
    approved_change(
        organization, unit, clerk, business_scope={"business_scope": "居家养老、日间照料"}
    )
    old = {c.pk: c for c in Certificate.objects.filter(pk__in=[c.pk for c in issued])}
    new = valid(organization)
    assert [c.business_scope for c in new] == ["居家养老、日间照料"] * 2
    assert all(c.issue_reason == CertificateReason.CHANGE for c in new)
    for certificate in old.values():
        assert certificate.status == CertificateStatus.WITHDRAWN
        assert certificate.withdrawn_on == TODAY
        assert certificate.withdrawal_reason == CertificateReason.CHANGE
        assert certificate.replaced_by.kind == certificate.kind
        assert certificate.replaced_by.status == CertificateStatus.VALID


def test_r_cert_3_a_change_of_industry_only_reissues_nothing(organization, unit, clerk, issued):
    education = IndustryFactory(code="education", name="教育")
    approved_change(organization, unit, clerk, industry={"industry": education})
    assert {c.pk for c in valid(organization)} == {c.pk for c in issued}


def test_r_cert_3_one_valid_pair_whatever_the_code_does(organization, issued):
    original = next(c for c in issued if c.kind == CertificateKind.ORIGINAL)
    duplicate = Certificate.objects.get(pk=original.pk)
    duplicate.pk, duplicate.serial, duplicate.token = None, "2018-999999", "another-token"
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_r_cert_3_a_second_reissue_from_the_same_page_is_refused(client, clerk, issued):
    organization = issued[0].organization
    client.force_login(clerk)
    url = reverse("registry:certificates_issue", args=[organization.pk])
    shown = client.get(url).context["form"].initial["shown"]
    data = {"reason": "lost", "remarks": "2018年7月1日长春日报遗失声明", "shown": shown}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200
    assert "重新载入" in again.content.decode() or again.context["form"].non_field_errors()
    assert Certificate.objects.filter(organization=organization).count() == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_r_cert_3_two_clerks_reissuing_at_once_leave_one_valid_pair(reference_data):
    organization = OrganizationFactory()
    clerks = [make_user(roles.CLERK, username=f"clerk-race-{n}") for n in range(2)]
    certificates_issue(organization=organization, by=clerks[0], reason="registration")
    barrier, errors = threading.Barrier(2), []

    def reissue(clerk):
        try:
            barrier.wait()
            certificates_issue(organization=organization, by=clerk, reason="damaged")
        except Exception as error:  # noqa: BLE001 - any failure is the test's finding
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reissue, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert organization.certificates.filter(status="valid").count() == 2
    assert organization.certificates.count() == 6


# --- R-CERT-4 ----------------------------------------------------------------------------------


def test_r_cert_4_deregistration_withdraws_the_valid_pair(organization, clerk, issued):
    withdrawn = withdraw_with_decision(
        organization=organization, by=clerk, reason=CertificateReason.DEREGISTRATION
    )
    assert {c.pk for c in withdrawn} == {c.pk for c in issued}
    assert valid(organization) == []
    assert {c.withdrawal_reason for c in Certificate.objects.all()} == {"deregistration"}


def test_r_cert_4_the_public_page_says_valid_void_or_expired_and_nothing_else(
    client, organization, clerk, issued, monkeypatch
):
    original = next(c for c in issued if c.kind == CertificateKind.ORIGINAL)
    url = reverse("certificate_check", args=[original.token])
    page = client.get(url).content.decode()
    assert "是本组织现行有效的登记证书" in page
    assert organization.contact_phone not in page
    monkeypatch.setattr("core.calendar.today", lambda: datetime.date(2023, 7, 2))
    assert "已于2023-07-01过期" in client.get(url).content.decode()
    monkeypatch.setattr("core.calendar.today", lambda: TODAY)
    withdraw_with_decision(organization=organization, by=clerk, reason="revocation")
    assert "已作废" in client.get(url).content.decode()
    assert client.get(reverse("certificate_check", args=["no-such-token"])).status_code == 404


def test_r_cert_4_an_organization_no_longer_active_gets_no_new_certificate(organization, clerk):
    Organization.objects.filter(pk=organization.pk).update(status=OrganizationStatus.REVOKED)
    with pytest.raises(ValidationError):
        certificates_issue(organization=organization, by=clerk, reason="registration")


# --- R-CERT-5 ----------------------------------------------------------------------------------


def test_r_cert_5_every_issue_and_withdrawal_is_an_event_and_an_audit_record(
    organization, clerk, issued
):
    certificates_issue(organization=organization, by=clerk, reason="damaged", remarks="水渍")
    events = CertificateEvent.objects.order_by("at", "id")
    assert [(e.action, e.reason) for e in events] == [
        ("issued", "registration"),
        ("issued", "registration"),
        ("withdrawn", "damaged"),
        ("withdrawn", "damaged"),
        ("issued", "damaged"),
        ("issued", "damaged"),
    ]
    assert all(e.by == clerk for e in events)
    assert AuditRecord.objects.filter(object_type="registry.certificate").count() == 2


def test_r_cert_5_only_clerks_issue_and_print_and_readers_see_their_own(
    client, organization, unit, issued
):
    stranger_unit = make_user(
        roles.SUPERVISORY_UNIT, supervisory_unit=SupervisoryUnitFactory(name="长春市教育局")
    )
    own_unit = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)
    committee = make_user(roles.COMMITTEE, username="committee-cert")
    with pytest.raises(PermissionDenied):
        certificates_issue(organization=organization, by=own_unit, reason="damaged")
    original = issued[0]
    print_url = reverse("registry:certificate_print", args=[original.pk])
    issue_url = reverse("registry:certificates_issue", args=[organization.pk])
    change_url = reverse("admin:registry_certificate_change", args=[original.pk])
    for reader in (own_unit, committee):
        client.force_login(reader)
        assert client.get(print_url).status_code == 403
        assert client.post(issue_url, {"reason": "damaged"}).status_code == 403
        assert client.get(change_url).status_code == 200
        assert client.post(change_url, {}).status_code == 403
    client.force_login(stranger_unit)
    response = client.get(change_url)
    assert response.status_code == 302  # the admin's answer for a record out of scope
    listing = client.get(reverse("admin:registry_certificate_changelist"))
    assert original.serial not in listing.content.decode()
    assert Certificate.objects.filter(organization=organization).count() == 2


def test_another_clerks_url_for_a_missing_organization_answers_404(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("registry:certificates_issue", args=[999999])).status_code == 404
    assert client.get(reverse("registry:certificate_print", args=[999999])).status_code == 404


def test_the_certificate_list_costs_the_same_queries_for_more_rows(
    client, clerk, django_assert_max_num_queries
):
    client.force_login(clerk)
    url = reverse("admin:registry_certificate_changelist")
    for _ in range(2):
        certificates_issue(organization=OrganizationFactory(), by=clerk, reason="registration")
    with django_assert_max_num_queries(12) as captured:
        client.get(url)
    few = len(captured)
    for _ in range(6):
        certificates_issue(organization=OrganizationFactory(), by=clerk, reason="registration")
    with django_assert_max_num_queries(few):
        client.get(url)


# --- hostile input ---------------------------------------------------------------------------


@hostile_settings(15)
@given(data=st.data())
def test_the_issue_page_refuses_or_issues_with_hostile_input(client, clerk, issued, data):
    organization = issued[0].organization
    client.force_login(clerk)
    url = reverse("registry:certificates_issue", args=[organization.pk])
    with rolled_back():
        before = Certificate.objects.filter(organization=organization).count()
        response, _posted = post_hostile_form(client, url, data.draw)
        if response.status_code != 302:
            assert Certificate.objects.filter(organization=organization).count() == before
        else:
            assert_pages_show_text(
                [(client, reverse("admin:registry_organization_change", args=[organization.pk]))]
            )


def test_r_cert_4_completing_a_deregistration_withdraws_the_pair_on_the_day_returned(
    settings, clerk
):
    from registry.services import deregistration as service
    from tests.registry.test_deregistration import LIQUIDATION

    organization = OrganizationFactory(supervisory_unit=None)
    certificates_issue(organization=organization, by=clerk, reason="registration")
    reporter = make_organization_user(organization)
    draft = service.deregistration_start(organization=organization, by=reporter)
    draft = service.deregistration_save_step(deregistration=draft, by=reporter, **LIQUIDATION)
    filed = service.deregistration_submit(deregistration=draft, by=reporter)
    service.deregistration_complete(
        deregistration=filed,
        by=clerk,
        decided_on=TODAY,
        certificate_returned_on=datetime.date(2018, 6, 29),
        seal_returned_on=TODAY,
    )
    assert valid(organization) == []
    assert {
        (c.withdrawal_reason, c.withdrawn_on, c.withdrawn_by) for c in Certificate.objects.all()
    } == {("deregistration", datetime.date(2018, 6, 29), clerk)}


def test_r_cert_4_a_revocation_voids_the_pair_even_if_not_returned(organization, clerk, issued):
    from registry.services.deregistration import revocation_decide

    revocation_decide(
        organization=organization,
        by=clerk,
        decided_on=TODAY,
        decision_reason="连续两年年检不合格。",
    )
    assert valid(organization) == []
    events = CertificateEvent.objects.filter(action="withdrawn")
    assert {(e.reason, e.remarks) for e in events} == {("revocation", "尚未交回登记管理机关。")}
