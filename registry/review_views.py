"""The review pages beside the admin (R-REG-1..5): a clerk approves, returns or rejects an
application; a supervisory-unit user consents for its unit. Each page is a small form; only a
POST changes anything, and it does so through the registration services, whose Chinese errors
are shown on the form. Each form carries the application's version: a page opened before
someone else's change is refused with the name of who changed it and when (StaleEdit)."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import can_review, staff_page
from core import calendar, review
from core.concurrency import VersionedForm

from .choices import ApplicationStatus as S
from .models.application import CLERK, SUPERVISOR
from .selectors import application_moves_for, applications_visible_to
from .services import registration
from .workflow import application_acts_as


class ApproveForm(VersionedForm):
    credit_code = forms.CharField(
        label=_("unified social credit code"),
        max_length=40,
        help_text=_(
            "The next free code of the bureau's series is proposed; enter another code "
            "if one was issued for this organization."
        ),
    )
    registered_on = forms.DateField(
        label=_("registered on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def clean_registered_on(self):
        value = self.cleaned_data["registered_on"]
        if value > calendar.today():
            raise ValidationError(_("The registration date cannot be in the future."))
        return value


class ReturnForm(VersionedForm):
    remarks = forms.CharField(
        label=_("what the applicant must correct"), widget=forms.Textarea(attrs={"rows": 6})
    )


class RejectForm(VersionedForm):
    reason = forms.CharField(
        label=_("reason for refusing registration"), widget=forms.Textarea(attrs={"rows": 6})
    )


class ConsentForm(VersionedForm):
    opinion = forms.CharField(
        label=_("supervisory unit's opinion"), widget=forms.Textarea(attrs={"rows": 6})
    )


def moved_on_message(application) -> str:
    """ "该申请已由 某某 于 某时 办理": the last transition's actor and time, the state now."""
    return review.moved_on_message(
        application,
        application.events.all(),
        gettext(
            "This application was dealt with by %(who)s at %(when)s and is now “%(status)s”: "
            "this step is not possible now."
        ),
    )


def _review(request, pk, *, to, actor, form_class, title, act, field=None, initial=None):
    """One review page (core.review): POST makes the move through `act(application, data)`,
    which calls the service and returns the success message."""
    application = get_object_or_404(
        applications_visible_to(request.user).exclude(status=S.DRAFT), pk=pk
    )
    actors = actor if isinstance(actor, tuple) else (actor,)
    if not any(application_acts_as(request.user, one, application) for one in actors):
        raise PermissionDenied
    return review.review_page(
        request,
        application,
        move=to,
        moves_for=application_moves_for,
        moved_on=moved_on_message,
        change_url=reverse("admin:registry_application_change", args=[application.pk]),
        form_class=form_class,
        act=lambda application, form: act(application, form.cleaned_data),
        template="admin/registry/application/review_form.html",
        context={"title": title, "application": application},
        field=field,
        initial=initial,
    )


@staff_page(can_review)
def application_approve(request, pk):
    """R-REG-5: the credit code is issued here; the proposal can be overwritten."""

    def initial(application):
        try:
            code = registration.credit_code_propose(organization_type=application.organization_type)
        except KeyError:  # no type given: the clerk enters the code
            code = ""
        return {"credit_code": code, "registered_on": calendar.today()}

    def act(application, data):
        organization = registration.application_approve(
            application=application,
            by=request.user,
            credit_code=data["credit_code"],
            registered_on=data["registered_on"],
            expected_version=data["version"],
        )
        return format_html(
            '{} <a href="{}">{}</a>',
            gettext("Approved. Unified social credit code: %(code)s.")
            % {"code": organization.credit_code},
            reverse("admin:registry_organization_change", args=[organization.pk]),
            organization.name,
        )

    return _review(
        request,
        pk,
        to=S.APPROVED,
        actor=CLERK,
        form_class=ApproveForm,
        title=_("Approve the registration"),
        act=act,
        field="credit_code",
        initial=initial,
    )


def _decision_with_text(service, field, *, to, actor, form_class, title, done):
    """A review page whose decision is one text (remarks, reason, opinion) handed to
    `service`; `done` is the message once it is made."""

    @staff_page(can_review)
    def view(request, pk):
        def act(application, data):
            service(
                application=application,
                by=request.user,
                expected_version=data["version"],
                **{field: data[field]},
            )
            return str(done)

        return _review(
            request,
            pk,
            to=to,
            actor=actor,
            form_class=form_class,
            title=title,
            act=act,
            field=field,
        )

    return view


application_return = _decision_with_text(
    registration.application_return,
    "remarks",
    to=S.RETURNED,
    actor=(CLERK, SUPERVISOR),
    form_class=ReturnForm,
    title=_("Return for correction"),
    done=_("Returned to the applicant for correction."),
)
application_reject = _decision_with_text(
    registration.application_reject,
    "reason",
    to=S.REJECTED,
    actor=CLERK,
    form_class=RejectForm,
    title=_("Refuse registration"),
    done=_("Registration refused."),
)
# The supervisory unit's consent, recorded before the clerk may approve.
application_consent = _decision_with_text(
    registration.application_consent,
    "opinion",
    to=S.CONSENTED,
    actor=SUPERVISOR,
    form_class=ConsentForm,
    title=_("Consent as the supervisory unit"),
    done=_("Your consent is recorded; the registration authority reviews it next."),
)
