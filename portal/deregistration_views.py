"""Deregistration (注销登记) in the portal (R-DEREG-1..4): the organization applies through a
three-step wizard (the reason, the liquidation, review and submit), each step saved at once
through registry.services.deregistration, as in the registration and annual-check wizards; it
follows its application on its own page and prints the notice once decided. Another
organization's ids answer 404: every lookup goes through `deregistrations_visible_to`."""

from functools import cached_property

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from core import calendar
from registry.bureau import bureau
from registry.choices import DeregistrationReason, DeregistrationStatus
from registry.selectors import deregistrations_visible_to
from registry.services import deregistration as service

from .draft_wizard import DatabaseDraftWizard, StepNotSaved, add_service_errors
from .views import OrganizationUserRequiredMixin
from .wizard_forms import ConfirmationForm, date_widget, wizard_helper

REASON, LIQUIDATION, REVIEW = "reason", "liquidation", "review"
STEPS = (REASON, LIQUIDATION, REVIEW)
STEP_NUMBERS = {REASON: service.REASON_STEP, LIQUIDATION: service.LIQUIDATION_STEP}
STEP_TITLES = {
    REASON: _("Reason for deregistration"),
    LIQUIDATION: _("Liquidation"),
    REVIEW: _("Review and submit"),
}
# The management form's prefix: tests and templates post "<PREFIX>-current_step".
PREFIX = "deregistration_wizard"


# --- Forms, one a step --------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("reason for deregistration"),
        choices=DeregistrationReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason.")},
    )
    reason_details = forms.CharField(
        label=_("explanation of the reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Explain the reason in a few words.")},
    )
    resolved_on = forms.DateField(
        label=_("date of the resolution to terminate"),
        widget=date_widget(),
        help_text=_("The date the members' (representatives') assembly or board so resolved."),
        error_messages={
            "required": _("Give the date of the resolution."),
            "invalid": _("Enter the date as YYYY-MM-DD."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = wizard_helper("reason", "reason_details", "resolved_on")

    def clean_resolved_on(self):
        value = self.cleaned_data["resolved_on"]
        if value > calendar.today():
            raise ValidationError(_("The resolution cannot be dated in the future."))
        return value


class LiquidationForm(forms.Form):
    liquidation_group = forms.CharField(
        label=_("liquidation group"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Its members, one a line: name and position."),
        error_messages={"required": _("Name the members of the liquidation group.")},
    )
    liquidation_started_on = forms.DateField(
        label=_("liquidation started on"),
        widget=date_widget(),
        error_messages={
            "required": _("Give the date the liquidation started."),
            "invalid": _("Enter the date as YYYY-MM-DD."),
        },
    )
    liquidation_ended_on = forms.DateField(
        label=_("liquidation ended on"),
        widget=date_widget(),
        help_text=_("Apply within the regulations' deadline after this day."),
        error_messages={
            "required": _(
                "Give the date the liquidation ended: deregistration is applied for after the "
                "liquidation."
            ),
            "invalid": _("Enter the date as YYYY-MM-DD."),
        },
    )
    liquidation_report = forms.CharField(
        label=_("liquidation report"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Debts settled, assets, the auditor's conclusion."),
        error_messages={"required": _("Summarize the liquidation report.")},
    )
    remaining_assets = forms.CharField(
        label=_("disposal of the remaining assets"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("To whom the remaining assets go, as the charter says."),
        error_messages={"required": _("Say how the remaining assets are disposed of.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = wizard_helper(*service.LIQUIDATION_FIELDS)

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("liquidation_started_on"), cleaned.get("liquidation_ended_on")
        if started and ended and ended < started:
            self.add_error(
                "liquidation_ended_on", _("The liquidation cannot end before it started.")
            )
        if ended and ended > calendar.today():
            self.add_error(
                "liquidation_ended_on",
                _("The liquidation has not ended yet: apply after it has ended."),
            )
        return cleaned


class DeregistrationReviewForm(ConfirmationForm):
    incomplete_message = _(
        "The application still has %(count)d things to complete: deal with those listed "
        "above, then submit."
    )


# --- Pages --------------------------------------------------------------------------------------


def own_deregistrations(user):
    """The organization's own deregistration applications, drafts included; never another's."""
    return deregistrations_visible_to(user).filter(
        organization_id=user.organization_id, kind="deregistration"
    )


class OwnDeregistrationMixin:
    require_editable = False

    def dispatch(self, request, *args, **kwargs):
        self.deregistration = get_object_or_404(own_deregistrations(request.user), pk=kwargs["pk"])
        if self.require_editable and not self.deregistration.is_editable:
            messages.info(
                request,
                _("The application has been submitted; it cannot be changed while it is reviewed."),
            )
            return redirect("portal:deregistration", pk=self.deregistration.pk)
        return super().dispatch(request, *args, **kwargs)


class DeregistrationListView(OrganizationUserRequiredMixin, ListView):
    template_name = "portal/deregistration/list.html"
    context_object_name = "deregistrations"

    def get_queryset(self):
        return own_deregistrations(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organization"] = self.request.user.organization
        context["deadline_days"] = settings.REGISTRY["DEREGISTRATION_DAYS_AFTER_LIQUIDATION"]
        context["open"] = next((d for d in context["deregistrations"] if d.is_editable), None)
        return context


class DeregistrationStartView(OrganizationUserRequiredMixin, View):
    """POST only: a new draft for the user's own organization."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            draft = service.deregistration_start(
                organization=request.user.organization, by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("portal:deregistrations")
        return redirect("portal:deregistration_edit", pk=draft.pk)


class DeregistrationDetailView(OrganizationUserRequiredMixin, OwnDeregistrationMixin, TemplateView):
    template_name = "portal/deregistration/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            deregistration=self.deregistration,
            events=list(self.deregistration.events.select_related("actor")),
        )
        return context


class DeregistrationWizard(
    OrganizationUserRequiredMixin, OwnDeregistrationMixin, DatabaseDraftWizard
):
    form_list = [
        (REASON, ReasonForm),
        (LIQUIDATION, LiquidationForm),
        (REVIEW, DeregistrationReviewForm),
    ]
    template_name = "portal/deregistration/wizard.html"
    require_editable = True
    wizard_prefix = PREFIX

    @property
    def draft(self):
        return self.deregistration

    def resume_step(self) -> str:
        problems = service.deregistration_problems(self.deregistration)
        if not problems:
            return REVIEW
        return {number: name for name, number in STEP_NUMBERS.items()}[problems[0].step]

    @cached_property
    def problems(self):
        return service.deregistration_problems(self.deregistration)

    def get_form_initial(self, step):
        fields = service.STEP_FIELDS.get(STEP_NUMBERS.get(step), ())
        return {name: getattr(self.deregistration, name) for name in fields}

    def get_form_kwargs(self, step=None):
        return {"problems": self.problems} if step == REVIEW else {}

    def process_step(self, form):
        step = self.steps.current
        if step in STEP_NUMBERS:
            try:
                self.deregistration = service.deregistration_save_step(
                    deregistration=self.deregistration,
                    by=self.request.user,
                    expected_version=self.posted_version,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_service_errors(form, error)
                raise StepNotSaved(form) from error
        return {}  # the database holds the draft; the session keeps no copy of it

    def done(self, form_list, **kwargs):
        form = form_list[-1]
        try:
            deregistration = service.deregistration_submit(
                deregistration=self.deregistration,
                by=self.request.user,
                expected_version=self.posted_version,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render(form)
        if deregistration.late:
            messages.warning(
                self.request,
                _(
                    "The application has been submitted after the deadline of %(deadline)s: it "
                    "is accepted and marked as filed late."
                )
                % {"deadline": deregistration.application_deadline().isoformat()},
            )
        else:
            messages.success(self.request, _("The application for deregistration is submitted."))
        return redirect("portal:deregistration", pk=deregistration.pk)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        context.update(
            deregistration=self.deregistration,
            step=step,
            step_title=STEP_TITLES[step],
            step_links=[
                {
                    "title": STEP_TITLES[name],
                    "url": self.get_step_url(name),
                    "current": name == step,
                }
                for name in STEPS
            ],
            problems=self.problems if step == REVIEW else [],
            problem_links=[
                {
                    "message": problem.message,
                    "url": self.get_step_url({n: s for s, n in STEP_NUMBERS.items()}[problem.step]),
                    "step": STEP_TITLES[{n: s for s, n in STEP_NUMBERS.items()}[problem.step]],
                }
                for problem in (self.problems if step == REVIEW else [])
            ],
            deadline=self.deregistration.application_deadline(),
            today=calendar.today(),
        )
        return context


class DeregistrationNoticeView(LoginRequiredMixin, TemplateView):
    """注销登记通知 / 撤销登记决定, A4, printed from the decided record by whoever may see it
    (the organization here, the staff from the admin)."""

    template_name = "registry/print/deregistration_notice.html"

    def get_context_data(self, **kwargs):
        deregistration = get_object_or_404(
            deregistrations_visible_to(self.request.user).filter(
                status=DeregistrationStatus.COMPLETED
            ),
            pk=kwargs["pk"],
        )
        return {
            **super().get_context_data(**kwargs),
            "deregistration": deregistration,
            "organization": deregistration.organization,
            "authority": bureau().authority_name,
        }
