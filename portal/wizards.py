"""The registration wizard (R-REG-1, R-REG-2): five steps, one form class each.

The draft lives in the database, not in the session: every valid step is saved at once through
the registration services, and every step is prefilled from the Application. An applicant who
closes the browser, or logs in elsewhere, resumes with everything saved so far; the session
only remembers which step is open. `done()` makes one service call, application_submit, which
checks the whole application again."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from core import calendar
from registry.models import Application, RegistrationTemplate
from registry.models.member import MEMBER_DETAIL_FIELDS
from registry.services.registration import (
    Problem,
    application_problems,
    application_replace_members,
    application_save_step,
    application_submit,
)

from .draft_wizard import DatabaseDraftWizard, StepNotSaved, add_service_errors
from .forms import (
    BasicInformationForm,
    CharterForm,
    MemberFormSet,
    PledgeForm,
    ReviewForm,
)
from .views import (
    ApplicantRequiredMixin,
    OwnApplicationMixin,
    application_consequence,
    member_rows,
)

BASIC, CHARTER, PLEDGE, MEMBERS, REVIEW = "basic", "charter", "pledge", "members", "review"
STEPS = (BASIC, CHARTER, PLEDGE, MEMBERS, REVIEW)
STEP_TITLES = {
    BASIC: _("Basic information"),
    CHARTER: _("Charter"),
    PLEDGE: _("Party-building pledge of the social organization"),
    MEMBERS: _("Party members of the new social organization"),
    REVIEW: _("Review and submit"),
}
# The management form's prefix: tests and templates post "<PREFIX>-current_step".
PREFIX = "application_wizard"


def problem_step(problem: Problem) -> str:
    """The wizard step where the applicant puts a problem of application_problems right."""
    if 1 <= problem.step <= len(STEPS):
        return STEPS[problem.step - 1]
    return REVIEW


def first_unfinished_step(application: Application) -> str:
    """Where an applicant coming back resumes: the first step with something missing."""
    problems = application_problems(application)
    return problem_step(problems[0]) if problems else REVIEW


class ApplicationWizard(ApplicantRequiredMixin, OwnApplicationMixin, DatabaseDraftWizard):
    form_list = [
        (BASIC, BasicInformationForm),
        (CHARTER, CharterForm),
        (PLEDGE, PledgeForm),
        (MEMBERS, MemberFormSet),
        (REVIEW, ReviewForm),
    ]
    template_name = "portal/application_wizard.html"
    require_editable = True

    wizard_prefix = PREFIX

    @property
    def draft(self):
        return self.application

    def resume_step(self) -> str:
        return first_unfinished_step(self.application)

    # --- Forms, prefilled from the Application ---------------------------------------------

    @cached_property
    def problems(self) -> list[Problem]:
        return application_problems(self.application)

    def get_form_initial(self, step):
        application, user = self.application, self.request.user
        if step == BASIC:
            # The applicant's own name and phone until the step says otherwise.
            initial = {}
            if not application.contact_person:
                initial["contact_person"] = user.first_name
            if not application.contact_phone:
                initial["contact_phone"] = user.phone
            return initial
        if step == CHARTER:
            return {"charter_text": application.charter_text}
        if step == PLEDGE:
            return {
                "pledge_signed_by": application.pledge_signed_by,
                "pledge_signed_on": application.pledge_signed_on or calendar.today(),
            }
        if step == MEMBERS:
            return [
                {field: getattr(member, field) for field in MEMBER_DETAIL_FIELDS}
                for member in application.members.all()
            ]
        return {}

    def get_form_instance(self, step):
        if step == BASIC:
            # A copy: the ModelForm writes cleaned values onto its instance while validating,
            # and the page around the form shows the application as saved.
            return Application.objects.get(pk=self.application.pk)
        return None

    def get_form_kwargs(self, step=None):
        if step == CHARTER:
            return {"clause": RegistrationTemplate.current().party_building_clause}
        if step == PLEDGE:
            return {"legal_representative": self.application.legal_representative}
        if step == MEMBERS:
            return {"no_party_members": self.application.no_party_members}
        if step == REVIEW:
            return {"problems": self.problems}
        return {}

    # --- Saving each step -----------------------------------------------------------------

    def process_step(self, form):
        save = {
            BASIC: self._save_basic,
            CHARTER: self._save_charter,
            PLEDGE: self._save_pledge,
            MEMBERS: self._save_members,
        }.get(self.steps.current)
        if save is not None:
            try:
                self.application = save(form)
            except ValidationError as error:
                add_service_errors(form, error)
                raise StepNotSaved(form) from error
        return {}  # the database holds the draft; the session keeps no copy of it

    def _save(self, **fields):
        return application_save_step(
            application=self.application,
            by=self.request.user,
            expected_version=self.posted_version,
            **fields,
        )

    def _save_basic(self, form):
        return self._save(**{name: form.cleaned_data[name] for name in form.Meta.fields})

    def _save_charter(self, form):
        return self._save(charter_text=form.cleaned_data["charter_text"])

    def _save_pledge(self, form):
        return self._save(
            pledge_signed_by=form.cleaned_data["pledge_signed_by"],
            pledge_signed_on=form.cleaned_data["pledge_signed_on"],
        )

    def _save_members(self, formset):
        return application_replace_members(
            application=self.application,
            by=self.request.user,
            members=formset.member_rows(),
            no_party_members=formset.no_party_members,
            expected_version=self.posted_version,
        )

    def done(self, form_list, **kwargs):
        form = form_list[-1]
        try:
            application_submit(
                application=self.application,
                by=self.request.user,
                expected_version=self.posted_version,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render(form)
        self.application.refresh_from_db()
        if self.application.needs_consent:
            # R-REG-2..3: the supervisory unit consents first, then the bureau reviews.
            message = _(
                "The application has been submitted. Your business supervisory unit, "
                "%(unit)s, examines it first and gives its opinion; then the registration "
                "authority reviews it. Its status is shown below."
            ) % {"unit": self.application.supervisory_unit}
        else:
            message = _(
                "The application has been submitted. The registration authority will review it; "
                "its status is shown below."
            )
        messages.success(self.request, message)
        return redirect("portal:application", pk=self.application.pk)

    # --- Page -------------------------------------------------------------------------------

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        application, step = self.application, self.steps.current
        context.update(
            application=application,
            step=step,
            step_title=STEP_TITLES[step],
            step_links=[
                {
                    "number": number,
                    "title": STEP_TITLES[name],
                    "url": self.get_step_url(name),
                    "current": name == step,
                }
                for number, name in enumerate(STEPS, start=1)
            ],
        )
        if step == PLEDGE:
            context["pledge_text"] = application.pledge_text
        if step in (MEMBERS, REVIEW):
            context["consequence"] = application_consequence(application)
        if step == REVIEW:
            context.update(
                problems=[
                    (problem.message, self.get_step_url(problem_step(problem)))
                    for problem in self.problems
                ],
                member_rows=member_rows(application),
            )
        return context
