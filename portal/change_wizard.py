"""The change wizard (R-CHG-1..5, R-CHG-7), one form class per step, saved at every step like
the registration wizard (portal.draft_wizard): a change of registered items has its items, new
values, the new legal representative's pledge (only when the legal representative changes) and
a review; a charter amendment has the amended charter and a review."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from core import calendar
from registry.models import ChangeApplication, RegistrationTemplate
from registry.services.changes import (
    CHARTER,
    ITEMS,
    PLEDGE,
    VALUES,
    ChangeProblem,
    change_problems,
    change_save_step,
    change_submit,
)

from .change_forms import (
    ChangePledgeForm,
    ChangeReviewForm,
    CharterAmendmentForm,
    ItemsForm,
    ValuesForm,
)
from .change_views import OwnChangeMixin
from .draft_wizard import DatabaseDraftWizard, StepNotSaved, add_service_errors
from .views import OrganizationUserRequiredMixin

REVIEW = "review"
STEP_TITLES = {
    ITEMS: _("Items changed"),
    VALUES: _("New values"),
    PLEDGE: _("Party-building pledge of the new legal representative"),
    CHARTER: _("Amended charter"),
    REVIEW: _("Review and submit"),
}
PREFIX = "change_wizard"


def _is_change(wizard) -> bool:
    return not wizard.change.is_charter


def _is_charter(wizard) -> bool:
    return wizard.change.is_charter


def _needs_pledge(wizard) -> bool:
    return wizard.change.changes_legal_representative


class ChangeWizard(OrganizationUserRequiredMixin, OwnChangeMixin, DatabaseDraftWizard):
    form_list = [
        (ITEMS, ItemsForm),
        (VALUES, ValuesForm),
        (PLEDGE, ChangePledgeForm),
        (CHARTER, CharterAmendmentForm),
        (REVIEW, ChangeReviewForm),
    ]
    condition_dict = {
        ITEMS: _is_change,
        VALUES: _is_change,
        PLEDGE: _needs_pledge,
        CHARTER: _is_charter,
    }
    template_name = "portal/change/wizard.html"
    require_editable = True
    wizard_prefix = PREFIX

    @property
    def draft(self):
        return self.change

    @cached_property
    def problems(self) -> list[ChangeProblem]:
        return change_problems(self.change)

    def resume_step(self) -> str:
        steps = list(self.get_form_list())
        for problem in self.problems:
            if problem.step in steps:
                return problem.step
        return REVIEW

    def get_form_initial(self, step):
        change = self.change
        if step == ITEMS:
            return {"items": change.items, "reason": change.reason}
        if step == PLEDGE:
            return {
                "pledge_signed_by": change.pledge_signed_by,
                "pledge_signed_on": change.pledge_signed_on or calendar.today(),
            }
        if step == CHARTER:
            return {"charter_text": change.charter_text, "reason": change.reason}
        return {}

    def get_form_instance(self, step):
        if step == VALUES:
            return ChangeApplication.objects.get(pk=self.change.pk)
        return None

    def get_form_kwargs(self, step=None):
        if step == VALUES:
            return {"items": self.change.items, "current": self.change.organization}
        if step == PLEDGE:
            return {"legal_representative": self.change.legal_representative}
        if step == CHARTER:
            return {"clause": RegistrationTemplate.current().party_building_clause}
        if step == REVIEW:
            return {"problems": self.problems}
        return {}

    def process_step(self, form):
        step = self.steps.current
        if step == REVIEW:
            return {}
        if step == VALUES:
            fields = {name: form.cleaned_data[name] for name in form.fields}
        else:
            fields = dict(form.cleaned_data)
        try:
            self.change = change_save_step(
                change=self.change,
                by=self.request.user,
                expected_version=self.posted_version,
                **fields,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            raise StepNotSaved(form) from error
        return {}

    def done(self, form_list, **kwargs):
        form = form_list[-1]
        try:
            change_submit(
                change=self.change, by=self.request.user, expected_version=self.posted_version
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render(form)
        self.change.refresh_from_db()
        if self.change.needs_consent:
            message = _(
                "Submitted to your business supervisory unit, %(unit)s. Once it consents, file "
                "the application with the registration authority within the deadline shown."
            ) % {"unit": self.change.consenting_unit}
        else:
            message = _("Filed with the registration authority, which reviews it next.")
        messages.success(self.request, message)
        return redirect("portal:change", pk=self.change.pk)

    def get_context_data(self, form, **kwargs):
        from registry.change_selectors import change_rows

        context = super().get_context_data(form=form, **kwargs)
        change, step = self.change, self.steps.current
        steps = list(self.get_form_list())
        context.update(
            change=change,
            step=step,
            step_title=STEP_TITLES[step],
            step_links=[
                {
                    "number": number,
                    "title": STEP_TITLES[name],
                    "url": self.get_step_url(name),
                    "current": name == step,
                }
                for number, name in enumerate(steps, start=1)
            ],
        )
        if step == PLEDGE:
            context["pledge_text"] = change.pledge_text
        if step == REVIEW:
            context.update(
                problems=[
                    (problem.message, self.get_step_url(problem.step))
                    for problem in self.problems
                    if problem.step in steps
                ],
                rows=change_rows(change),
            )
        return context
