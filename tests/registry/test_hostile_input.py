"""Hostile input on the registry's staff forms (issue 8, "hostile input"): the admin's add and
change pages of organizations and reference data, and the review pages of applications
(approve, return, refuse, the supervisory unit's consent). Refused with the form's errors and
nothing written, or saved and shown as text; never a server error."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts import roles
from registry.models import Application, Organization, RegistrationTemplate
from registry.services.registration import application_submit
from tests.factories import OrganizationFactory, SupervisoryUnitFactory, make_user
from tests.hostile import (
    admin_models,
    admin_url,
    assert_pages_show_text,
    check_admin_add,
    check_admin_change,
    hostile_settings,
    post_hostile_form,
    rolled_back,
)
from tests.registry.test_registration import complete_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def snapshot(instance) -> dict:
    fresh = type(instance).objects.get(pk=instance.pk)
    return {**model_to_dict(fresh), "version": getattr(fresh, "version", None)}


@pytest.mark.parametrize(
    "model", admin_models("registry"), ids=lambda model: model._meta.model_name
)
@hostile_settings(10)
@given(data=st.data())
def test_admin_add_pages_refuse_or_save_hostile_input(clerk_client, model, data):
    check_admin_add(clerk_client, model, data.draw)


@pytest.fixture
def organization(db):
    # Made once per test: the choices the examples draw from must not change between them.
    return OrganizationFactory()


@hostile_settings(25)
@given(data=st.data())
def test_the_organization_change_page_refuses_or_saves_hostile_input(
    clerk_client, organization, data
):
    check_admin_change(clerk_client, organization, data.draw)


@hostile_settings(15)
@given(data=st.data())
def test_the_registration_template_page_refuses_or_saves_hostile_input(clerk_client, data):
    check_admin_change(clerk_client, RegistrationTemplate.current(), data.draw)


# --- review pages -----------------------------------------------------------------------------


@pytest.fixture
def submitted(db):
    """A submitted application of direct registration: the clerk acts on it at once."""
    applicant = make_user(roles.APPLICANT, username="applicant-hostile")
    application = complete_application(applicant)
    application_submit(application=application, by=applicant)
    return Application.objects.get(pk=application.pk)


@pytest.mark.parametrize("move", ["approve", "return", "reject"])
@hostile_settings(15)
@given(data=st.data())
def test_review_pages_refuse_or_record_hostile_input(clerk_client, submitted, move, data):
    url = reverse(f"registry:application_{move}", args=[submitted.pk])
    with rolled_back():
        before = snapshot(submitted)
        organizations = Organization.objects.count()
        version = st.one_of(st.just(str(before["version"])), st.sampled_from(["", "-1", "x"]))

        response, _posted = post_hostile_form(
            clerk_client, url, data.draw, overrides={"version": version}
        )

        if response.status_code != 302:
            assert snapshot(submitted) == before
            assert Organization.objects.count() == organizations
        else:
            pages = [
                (clerk_client, admin_url(Application, "change", submitted.pk)),
                (clerk_client, admin_url(Application, "changelist")),
            ]
            if Organization.objects.count() > organizations:
                created = Organization.objects.latest("pk")
                pages.append((clerk_client, admin_url(Organization, "change", created.pk)))
            assert_pages_show_text(pages)


@pytest.fixture
def awaiting_consent(client):
    """A submitted application with a supervisory unit, whose user is logged in."""
    unit = SupervisoryUnitFactory(name="长春市民政局养老服务处")
    applicant = make_user(roles.APPLICANT, username="applicant-consent")
    application = complete_application(applicant, unit=unit)
    application_submit(application=application, by=applicant)
    client.force_login(make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit))
    return Application.objects.get(pk=application.pk)


@hostile_settings(15)
@given(data=st.data())
def test_the_consent_page_refuses_or_records_hostile_input(client, awaiting_consent, data):
    application = awaiting_consent
    url = reverse("registry:application_consent", args=[application.pk])
    with rolled_back():
        before = snapshot(application)

        response, _posted = post_hostile_form(
            client, url, data.draw, overrides={"version": str(before["version"])}
        )

        if response.status_code != 302:
            assert snapshot(application) == before
        else:
            assert_pages_show_text([(client, admin_url(Application, "change", application.pk))])


# --- every form is covered --------------------------------------------------------------------

APPS = (
    "accounts",
    "core",
    "annualcheck",
    "audit",
    "evaluation",
    "exports",
    "partybuilding",
    "portal",
    "registry",
)

# Form class → the hostile-input test that posts to it. A new form fails the test below until
# it is added here with a test (tests/<app>/test_hostile_input.py).
COVERED = {
    "accounts.forms.IssuedPasswordForm": "accounts: test_an_issued_password_…",
    "accounts.forms.IssuedUserCreationForm": "accounts: test_admin_add_pages_…[user]",
    "accounts.forms.NormalizingAuthenticationForm": "portal: test_hostile_credentials_…",
    "accounts.forms.OwnPasswordChangeForm": "accounts: test_a_hostile_new_password_…",
    "accounts.forms.PortalAuthenticationForm": "portal: test_hostile_credentials_…[portal:login]",
    "accounts.forms.StaffAuthenticationForm": "portal: test_hostile_credentials_…[admin:login]",
    "accounts.two_factor_forms.TokenForm": "accounts: test_a_hostile_two_factor_code_is_refused",
    "annualcheck.review_views.PreReviewForm": "annualcheck: test_the_units_pages_…[pre_review]",
    "annualcheck.review_views.ReopenForm": "annualcheck: test_reopening_a_rectification_…",
    "annualcheck.review_views.ReturnForm": "annualcheck: test_the_units_pages_…[return]",
    "annualcheck.review_views.ReviewForm": "annualcheck: test_the_clerks_review_…",
    "evaluation.admin.IndicatorFormSet": "evaluation: test_admin_add_pages_…[scheme]",
    "evaluation.review_views.OpenForm": "evaluation: test_the_open_page_…",
    "evaluation.review_views.ScoreForm": "evaluation: test_the_score_page_…",
    "partybuilding.admin.party_organizations.DispatchForm": (
        "partybuilding: test_admin_add_pages_…[dispatch]"
    ),
    "partybuilding.admin.party_organizations.PartyOrganizationFoundingForm": (
        "partybuilding: …[partyorganization]"
    ),
    "partybuilding.forms.ScopeFilterForm": "partybuilding: test_the_scope_filter_…",
    "partybuilding.forms.LedgerFilterForm": "partybuilding: test_the_scope_filter_…",
    "portal.annual_check_forms.AnnualCheckReviewForm": "portal: test_annual_check_steps_…[review]",
    "portal.annual_check_forms.BaseRegisterFormSet": "portal: test_annual_check_steps_…[register]",
    "portal.annual_check_forms.ItemForm": "portal: test_annual_check_steps_…[item_2]",
    "portal.annual_check_forms.PartyBuildingReportForm": "portal: …[party_building]",
    "portal.annual_check_forms.RectificationAnswerForm": "portal: test_a_hostile_rectification_…",
    "portal.annual_check_forms.RegisterRowForm": "portal: test_annual_check_steps_…[register]",
    "portal.draft_wizard.DraftManagementForm": "portal: every wizard step test (its version)",
    "portal.forms.ApplicantSignupForm": "portal: test_signup_refuses_or_creates_one_applicant",
    "portal.forms.BaseMemberFormSet": "portal: test_registration_steps_…[members]",
    "portal.forms.BasicInformationForm": "portal: test_registration_steps_…[basic]",
    "portal.forms.CharterForm": "portal: test_registration_steps_…[charter]",
    "portal.forms.MemberRowForm": "portal: test_registration_steps_…[members]",
    "portal.forms.NoPartyMembersForm": "portal: test_registration_steps_…[members]",
    "portal.forms.PledgeForm": "portal: test_registration_steps_…[pledge]",
    "portal.forms.ReviewForm": "portal: test_registration_steps_…[review]",
    "portal.wizard_forms.ConfirmationForm": "portal: both wizards' review steps (its subclasses)",
    "registry.admin.reference.RegistrationTemplateForm": "registry: test_the_registration_…",
    "core.concurrency.VersionedForm": "registry, annualcheck: the review page tests",
    "registry.certificate_views.IssueForm": "registry: test_the_issue_page_refuses_or_issues_…",
    "portal.deregistration_views.ReasonForm": "portal: test_deregistration_steps_…[reason]",
    "portal.deregistration_views.LiquidationForm": "portal: test_deregistration_steps_…",
    "portal.deregistration_views.DeregistrationReviewForm": "portal: …deregistration_steps…",
    "registry.deregistration_views.OpinionForm": "portal: test_review_pages_…[consent]",
    "registry.deregistration_views.ReturnForm": "portal: test_review_pages_…[return]",
    "registry.deregistration_views.RejectForm": "portal: test_review_pages_…[reject]",
    "registry.deregistration_views.CompleteForm": "portal: test_review_pages_…[complete]",
    "registry.deregistration_views.RevokeForm": "portal: test_the_revocation_page_…",
    "registry.review_views.ApproveForm": "registry: test_review_pages_…[approve]",
    "registry.review_views.ConsentForm": "registry: test_the_consent_page_…",
    "registry.review_views.RejectForm": "registry: test_review_pages_…[reject]",
    "registry.review_views.ReturnForm": "registry: test_review_pages_…[return]",
    "registry.change_review_views.ApproveChangeForm": "registry: test_change_review_pages_…",
    "registry.change_review_views.TextForm": "registry: test_change_review_pages_… (its kinds)",
    "registry.change_review_views.ConsentForm": "registry: test_change_review_pages_… (a text)",
    "registry.change_review_views.ReturnForm": "registry: test_change_review_pages_…[return]",
    "registry.change_review_views.RejectForm": "registry: test_change_review_pages_…[reject]",
    "portal.change_forms.ItemsForm": "portal: test_change_steps_…[items]",
    "portal.change_forms.ValuesForm": "portal: test_change_steps_…[values]",
    "portal.change_forms.ChangePledgeForm": "portal: test_change_steps_…[pledge]",
    "portal.change_forms.CharterAmendmentForm": "portal: test_the_charter_amendment_step_…",
    "portal.change_forms.ChangeReviewForm": "portal: test_change_steps_…[review]",
}
# Apps whose admin add pages run through check_admin_add in their test_hostile_input.py; the
# admin of the others is read-only.
ADMIN_COVERED = {"accounts", "annualcheck", "evaluation", "partybuilding", "registry"}
ADMIN_READ_ONLY = {"audit", "exports"}


def project_forms() -> set[str]:
    import importlib
    import inspect
    from pathlib import Path

    from django import forms
    from django.conf import settings

    found = set()
    for app in APPS:
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            parts = path.relative_to(settings.BASE_DIR).with_suffix("").parts
            if {"migrations", "management"} & set(parts):
                continue
            name = ".".join(parts)
            module = importlib.import_module(name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == name and issubclass(cls, (forms.BaseForm, forms.BaseFormSet)):
                    found.add(f"{name}.{cls.__qualname__}")
    return found


def test_every_form_of_the_project_has_a_hostile_input_test():
    found = project_forms()
    assert sorted(found - COVERED.keys()) == [], "forms without a hostile-input test"
    assert sorted(COVERED.keys() - found) == [], "COVERED names forms that are gone"


def test_every_admin_is_covered_or_read_only():
    from django.contrib import admin

    labels = {model._meta.app_label for model in admin.site._registry}
    project = labels & set(APPS)
    assert project <= ADMIN_COVERED | ADMIN_READ_ONLY
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ADMIN_READ_ONLY:
            request = type("Request", (), {"user": make_user(roles.CLERK)})()
            assert not model_admin.has_add_permission(request), model


# --- change review pages (R-CHG-3) -------------------------------------------------------------


@pytest.fixture
def filed_change(db):
    """A change of an organization without a supervisory unit: filed at once, the clerk acts."""
    from registry.choices import ChangeKind
    from registry.services.changes import change_save_step, change_start, change_submit
    from tests.factories import make_organization_user

    organization = OrganizationFactory(supervisory_unit=None)
    reporter = make_organization_user(organization)
    change = change_start(organization=organization, by=reporter, kind=ChangeKind.CHANGE)
    change = change_save_step(change=change, by=reporter, items=["business_scope"], reason="决议")
    change = change_save_step(change=change, by=reporter, business_scope="新业务")
    return change_submit(change=change, by=reporter)


@pytest.mark.parametrize("move", ["approve", "return", "reject"])
@hostile_settings(10)
@given(data=st.data())
def test_change_review_pages_refuse_or_record_hostile_input(clerk_client, filed_change, move, data):
    from registry.models import ChangeApplication

    url = reverse(f"registry:change_{move}", args=[filed_change.pk])
    with rolled_back():
        before = snapshot(filed_change)
        organization = snapshot(filed_change.organization)
        version = st.one_of(st.just(str(before["version"])), st.sampled_from(["", "-1", "x"]))
        response, _posted = post_hostile_form(
            clerk_client, url, data.draw, overrides={"version": version}
        )
        if response.status_code != 302:
            assert snapshot(filed_change) == before
            assert snapshot(filed_change.organization) == organization
        else:
            assert_pages_show_text(
                [
                    (clerk_client, admin_url(ChangeApplication, "change", filed_change.pk)),
                    (clerk_client, admin_url(ChangeApplication, "changelist")),
                ]
            )
