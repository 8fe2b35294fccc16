"""The annual-check wizard (R-AC-1): item 1 Party-building first (《社会组织党建情况年报表》,
then 《党员登记表》), items 2–10 one step each, then review and submit.

As in the registration wizard, the draft lives in the database: every valid step is saved at
once through the annualcheck services and every step is prefilled from the saved check, so an
organization resumes in any session. `done()` makes one service call, annual_check_submit."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from annualcheck.choices import ITEMS, PARTY_BUILDING_ITEM
from annualcheck.services import (
    annual_check_save_item,
    annual_check_submit,
    deadline,
    party_building_report_save,
    register_replace,
)
from registry.models.member import MEMBER_DETAIL_FIELDS

from .annual_check_forms import (
    AnnualCheckReviewForm,
    ItemForm,
    PartyBuildingReportForm,
    RegisterFormSet,
)
from .annual_check_views import OwnAnnualCheckMixin, report_context
from .draft_wizard import DatabaseDraftWizard, StepNotSaved, add_service_errors
from .views import OrganizationUserRequiredMixin

PARTY_BUILDING, REGISTER, REVIEW = "party_building", "register", "review"
ITEM_TITLES = dict(ITEMS)
ITEM_STEPS = {f"item_{number}": number for number in ITEM_TITLES if number != PARTY_BUILDING_ITEM}
STEPS = (PARTY_BUILDING, REGISTER, *ITEM_STEPS, REVIEW)
STEP_TITLES = {
    PARTY_BUILDING: _("Annual Party-building report of the social organization"),
    REGISTER: _("Party member register"),
    **{
        step: format_lazy("{}. {}", number, ITEM_TITLES[number])
        for step, number in ITEM_STEPS.items()
    },
    REVIEW: _("Review and submit"),
}
# The management form's prefix: tests and templates post "<PREFIX>-current_step".
PREFIX = "annual_check_wizard"


def is_item_step(step: str) -> bool:
    return step in ITEM_STEPS


def unfilled_items(annual_check) -> list[str]:
    """Items 2–10 still empty: listed on the review step, which cannot be confirmed until
    they are filled in."""
    return [
        _("Item %(number)s, %(title)s: not filled in yet.")
        % {"number": item.number, "title": item.get_number_display()}
        for item in annual_check.items.order_by("number")
        if item.number != PARTY_BUILDING_ITEM and not item.report.strip()
    ]


# Item 1 (党建情况) is two steps, numbered 1-1 and 1-2 on the page (items 2–10 carry their number
# in the title).
STEP_NUMBERS = {PARTY_BUILDING: "1-1", REGISTER: "1-2"}


def finished_steps(annual_check) -> set[str]:
    """The steps whose part of the report is written: item 1's form when what only the
    organization can say is there (its activities, or why it has no Party organization and how
    Party work reaches it), the register once it has rows or no member is reported, and items
    2–10 when their text is filled in."""
    report = annual_check.party_building
    finished = set()
    if report.activities.strip() or (
        report.no_party_organization_reason.strip() and report.work_coverage.strip()
    ):
        finished.add(PARTY_BUILDING)
        if annual_check.register.exists() or not (
            report.full_members or report.probationary_members
        ):
            finished.add(REGISTER)
    for step, number in ITEM_STEPS.items():
        if any(item.number == number and item.report.strip() for item in annual_check.items.all()):
            finished.add(step)
    return finished


class AnnualCheckWizard(OrganizationUserRequiredMixin, OwnAnnualCheckMixin, DatabaseDraftWizard):
    form_list = [
        (PARTY_BUILDING, PartyBuildingReportForm),
        (REGISTER, RegisterFormSet),
        *((step, ItemForm) for step in ITEM_STEPS),
        (REVIEW, AnnualCheckReviewForm),
    ]
    template_name = "portal/annual_check/wizard.html"
    require_editable = True

    wizard_prefix = PREFIX

    @property
    def draft(self):
        return self.annual_check

    def resume_step(self) -> str:
        return PARTY_BUILDING

    # --- Forms, prefilled from the saved check ----------------------------------------------

    @cached_property
    def problems(self) -> list[str]:
        return unfilled_items(self.annual_check)

    def get_form_initial(self, step):
        if step == REGISTER:
            fields = (*MEMBER_DETAIL_FIELDS, "left_on", "left_reason")
            return [
                {field: getattr(entry, field) for field in fields}
                for entry in self.annual_check.register.all()
            ]
        if is_item_step(step):
            item = self.annual_check.items.get(number=ITEM_STEPS[step])
            return {"report": item.report}
        return {}

    def get_form_instance(self, step):
        if step == PARTY_BUILDING:
            # A fresh copy: the ModelForm writes cleaned values onto its instance.
            return type(self.annual_check.party_building).objects.get(
                annual_check=self.annual_check
            )
        return None

    def get_form_kwargs(self, step=None):
        if is_item_step(step):
            return {"title": ITEM_TITLES[ITEM_STEPS[step]]}
        if step == REVIEW:
            return {"problems": self.problems}
        return {}

    # --- Saving each step -----------------------------------------------------------------

    def process_step(self, form):
        # Each step's save is refused when the check changed since the page was built (the
        # version it carries): of two tabs, the second one's save is refused, nothing saved.
        step, user, version = self.steps.current, self.request.user, self.posted_version
        try:
            if step == PARTY_BUILDING:
                party_building_report_save(
                    annual_check=self.annual_check,
                    by=user,
                    expected_version=version,
                    **form.report_fields(),
                )
            elif step == REGISTER:
                register_replace(
                    annual_check=self.annual_check,
                    by=user,
                    rows=form.rows(),
                    expected_version=version,
                )
            elif is_item_step(step):
                annual_check_save_item(
                    annual_check=self.annual_check,
                    by=user,
                    number=ITEM_STEPS[step],
                    report=form.cleaned_data["report"],
                    expected_version=version,
                )
        except ValidationError as error:
            add_service_errors(form, error)
            raise StepNotSaved(form) from error
        return {}  # the database holds the draft; the session keeps no copy of it

    def done(self, form_list, **kwargs):
        form = form_list[-1]
        try:
            annual_check = annual_check_submit(
                annual_check=self.annual_check,
                by=self.request.user,
                expected_version=self.posted_version,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render(form)
        if annual_check.late:
            messages.warning(
                self.request,
                _(
                    "The annual check has been submitted after the deadline of %(deadline)s: "
                    "it is accepted and marked as filed late."
                )
                % {"deadline": deadline(annual_check=annual_check).isoformat()},
            )
        else:
            messages.success(self.request, _("The annual check has been submitted on time."))
        return redirect("portal:annual_check", pk=annual_check.pk)

    # --- Page -------------------------------------------------------------------------------

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        annual_check, step = self.annual_check, self.steps.current
        finished = finished_steps(annual_check)
        context.update(
            annual_check=annual_check,
            step=step,
            step_title=STEP_TITLES[step],
            step_links=[
                {
                    "number": number,
                    "title": STEP_TITLES[name],
                    "url": self.get_step_url(name),
                    "current": name == step,
                    "label": STEP_NUMBERS.get(name, ""),
                    "done": name in finished,
                }
                for number, name in enumerate(STEPS, start=1)
            ],
            step_label=STEP_NUMBERS.get(step, ""),
            deadline=deadline(annual_check=annual_check),
        )
        if step == PARTY_BUILDING:
            context.update(report_context(annual_check))
        if step == REVIEW:
            context.update(
                report_context(annual_check),
                problems=self.problems,
            )
        return context
