"""The staff pages of deregistration and revocation (R-DEREG-1..9): the supervisory unit
consents or returns, the clerk returns, refuses or completes (the certificate and seal returned,
the Party-building records settled); the clerk revokes an organization's registration (from the
annual-check revocation review list). The notice prints from the portal (portal.print_views).
Each move is one small form through `core.review.review_page`; only a POST changes anything, through
the services in registry.services.deregistration."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import can_review, is_clerk, staff_page
from core import calendar, review
from core.concurrency import VersionedForm

from .choices import DeregistrationStatus as S
from .choices import OrganizationStatus
from .models.application import CLERK, SUPERVISOR
from .selectors import (
    deregistration_moves_for,
    deregistrations_visible_to,
    organizations_visible_to,
)
from .services import deregistration as service
from .workflow import deregistration_acts_as

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DECISION_DATE_ERRORS = {
    "required": _("Give the date of the decision."),
    "invalid": _("Enter the date as YYYY-MM-DD."),
}
RETURN_DATE_ERRORS = {
    "required": _("Record the date the registration authority took it back."),
    "invalid": _("Enter the date as YYYY-MM-DD."),
}


class OpinionForm(VersionedForm):
    opinion = forms.CharField(
        label=_("supervisory unit's opinion"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Give the business supervisory unit's opinion.")},
    )


class ReturnForm(VersionedForm):
    remarks = forms.CharField(
        label=_("what the applicant must correct"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Say what to correct when returning the application.")},
    )


class RejectForm(VersionedForm):
    reason = forms.CharField(
        label=_("reason for refusing deregistration"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Say why deregistration is refused.")},
    )


class CompleteForm(VersionedForm):
    decided_on = forms.DateField(
        label=_("registration ended on"), widget=DATE_WIDGET, error_messages=DECISION_DATE_ERRORS
    )
    certificate_returned_on = forms.DateField(
        label=_("certificate returned on"),
        widget=DATE_WIDGET,
        help_text=_("The original and the duplicate of the registration certificate."),
        error_messages=RETURN_DATE_ERRORS,
    )
    seal_returned_on = forms.DateField(
        label=_("seal returned on"), widget=DATE_WIDGET, error_messages=RETURN_DATE_ERRORS
    )
    returns_note = forms.CharField(label=_("note on the returns"), required=False, max_length=200)


class RevokeForm(VersionedForm):
    decision_reason = forms.CharField(
        label=_("grounds of the revocation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The facts and the provision applied, as the decision states them."),
        error_messages={"required": _("Give the grounds of the revocation.")},
    )
    decided_on = forms.DateField(
        label=_("registration ended on"), widget=DATE_WIDGET, error_messages=DECISION_DATE_ERRORS
    )
    certificate_returned_on = forms.DateField(
        label=_("certificate returned on"),
        widget=DATE_WIDGET,
        required=False,
        error_messages=RETURN_DATE_ERRORS,
    )
    seal_returned_on = forms.DateField(
        label=_("seal returned on"),
        widget=DATE_WIDGET,
        required=False,
        error_messages=RETURN_DATE_ERRORS,
    )
    returns_note = forms.CharField(label=_("note on the returns"), required=False, max_length=200)


def change_url(deregistration) -> str:
    return reverse("admin:registry_deregistration_change", args=[deregistration.pk])


def moved_on_message(deregistration) -> str:
    return review.moved_on_message(
        deregistration,
        deregistration.events.all(),
        gettext(
            "This application was dealt with by %(who)s at %(when)s and is now “%(status)s”: "
            "this step is not possible now."
        ),
    )


def _review(request, pk, *, to, actors, form_class, title, act, initial=None, extra=None):
    deregistration = get_object_or_404(
        deregistrations_visible_to(request.user).exclude(status=S.DRAFT), pk=pk
    )
    if not any(deregistration_acts_as(request.user, actor, deregistration) for actor in actors):
        raise PermissionDenied
    return review.review_page(
        request,
        deregistration,
        move=to,
        moves_for=deregistration_moves_for,
        moved_on=moved_on_message,
        change_url=change_url(deregistration),
        form_class=form_class,
        act=lambda record, form: act(record, form.cleaned_data),
        template="admin/registry/deregistration/review_form.html",
        context={"title": title, "deregistration": deregistration},
        initial=initial,
        extra_context=extra,
    )


def _text_move(service_call, field, *, to, actors, form_class, title, done):
    @staff_page(can_review)
    def view(request, pk):
        def act(record, data):
            service_call(
                deregistration=record,
                by=request.user,
                expected_version=data["version"],
                **{field: data[field]},
            )
            return str(done)

        return _review(
            request, pk, to=to, actors=actors, form_class=form_class, title=title, act=act
        )

    return view


deregistration_consent = _text_move(
    service.deregistration_consent,
    "opinion",
    to=S.CONSENTED,
    actors=(SUPERVISOR,),
    form_class=OpinionForm,
    title=_("Consent to the deregistration"),
    done=_("Your consent is recorded; the registration authority decides next."),
)
deregistration_return = _text_move(
    service.deregistration_return,
    "remarks",
    to=S.RETURNED,
    actors=(CLERK, SUPERVISOR),
    form_class=ReturnForm,
    title=_("Return for correction"),
    done=_("Returned to the organization for correction."),
)
deregistration_reject = _text_move(
    service.deregistration_reject,
    "reason",
    to=S.REJECTED,
    actors=(CLERK,),
    form_class=RejectForm,
    title=_("Refuse deregistration"),
    done=_("Deregistration refused; the organization stays registered."),
)


@staff_page(can_review)
def deregistration_complete(request, pk):
    """R-DEREG-5/6: the decision, refused while the Party-building records hold anything open;
    the page lists what they hold before the clerk tries."""

    def act(record, data):
        service.deregistration_complete(
            deregistration=record,
            by=request.user,
            decided_on=data["decided_on"],
            certificate_returned_on=data["certificate_returned_on"],
            seal_returned_on=data["seal_returned_on"],
            returns_note=data["returns_note"],
            expected_version=data["version"],
        )
        return gettext("The organization's registration is ended (deregistered).")

    return _review(
        request,
        pk,
        to=S.COMPLETED,
        actors=(CLERK,),
        form_class=CompleteForm,
        title=_("Deregister the organization"),
        act=act,
        initial=lambda record: {"decided_on": calendar.today()},
        extra=lambda record: {
            "blockers": service.party_building_blockers(record.organization, calendar.today())
        },
    )


@staff_page(is_clerk)
def organization_revoke(request, pk):
    """R-DEREG-9: the clerk revokes an organization's registration (撤销登记), typically from
    the annual-check revocation review list (R-AC-6)."""
    organization = get_object_or_404(organizations_visible_to(request.user), pk=pk)
    if organization.status != OrganizationStatus.ACTIVE:
        messages.warning(
            request,
            gettext("The registration of %(name)s has already ended.")
            % {"name": organization.name},
        )
        return redirect("admin:registry_organization_change", organization.pk)
    form = RevokeForm(request.POST or None, initial={"decided_on": calendar.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revocation = service.revocation_decide(
                organization=organization,
                by=request.user,
                decided_on=data["decided_on"],
                decision_reason=data["decision_reason"],
                certificate_returned_on=data["certificate_returned_on"],
                seal_returned_on=data["seal_returned_on"],
                returns_note=data["returns_note"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            review.service_error_add(form, error, "decision_reason")
        else:
            messages.success(request, gettext("The registration is revoked."))
            return redirect(change_url(revocation))
    elif request.method != "POST":
        form = RevokeForm(initial={"decided_on": calendar.today(), "version": organization.version})
    return render(
        request,
        "admin/registry/deregistration/revoke_form.html",
        {
            **admin.site.each_context(request),
            "opts": organization._meta,
            "title": gettext("Revoke the registration"),
            "organization": organization,
            "form": form,
            "blockers": service.party_building_blockers(organization, calendar.today()),
            "change_url": request.GET.get("back")
            if (request.GET.get("back") or "").startswith("/")
            else reverse("admin:registry_organization_change", args=[organization.pk]),
        },
    )
