"""The annual check in the portal (R-AC-1..5): an organization's own checks, the check's page
with its rectification items, and the printable report. Another organization's ids answer 404."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from annualcheck.choices import ITEMS
from annualcheck.models import RegisterEntry
from annualcheck.selectors import annual_checks_visible_to, with_overdue_flag
from annualcheck.services import (
    annual_check_start,
    deadline,
    exemption_message,
    party_building_differences,
)
from annualcheck.services.rectifications import rectification_answer
from core import calendar
from core.identity import UNMASK_PERMISSION, id_number_for_display, mask_id_number
from registry.id_number_audit import record_unmasked_view

from .annual_check_forms import RectificationAnswerForm, display_value
from .views import OrganizationUserRequiredMixin


def report_year(today: datetime.date | None = None) -> int:
    """The year an annual check reports on: the previous calendar year."""
    return (today or calendar.today()).year - 1


def own_annual_checks(user):
    """The organization's own annual checks, drafts included; never another's."""
    return annual_checks_visible_to(user).filter(organization_id=user.organization_id)


class OwnAnnualCheckMixin:
    """Loads `self.annual_check` from the user's own checks (404 otherwise). Placed after the
    access mixin, so anonymous users are sent to log in before any lookup."""

    require_editable = False

    def dispatch(self, request, *args, **kwargs):
        self.annual_check = get_object_or_404(own_annual_checks(request.user), pk=kwargs["pk"])
        if self.require_editable and not self.annual_check.is_editable:
            messages.info(
                request,
                _("This annual check has been submitted and cannot be changed during review."),
            )
            return redirect("portal:annual_check", pk=self.annual_check.pk)
        return super().dispatch(request, *args, **kwargs)


def item_rows(annual_check) -> list:
    """The ten items in order, Party-building first (R-AC-1)."""
    return list(annual_check.items.order_by("number"))


def register_rows(annual_check, user=None, *, masked: bool = True) -> list[dict]:
    """The member register with ID numbers masked for screens (R-ID-2), or for print as the
    viewer's permission allows."""
    return [
        {
            "number": number,
            "entry": entry,
            "id_number": mask_id_number(entry.id_number)
            if masked
            else id_number_for_display(entry.id_number, user),
        }
        for number, entry in enumerate(annual_check.register.all(), start=1)
    ]


def event_rows(annual_check) -> list:
    """The timeline, each status with its label (CheckEvent.from_label / to_label)."""
    return list(annual_check.events.all())


def report_context(annual_check, user=None, *, masked: bool = True) -> dict:
    """What the review step, the detail page and the printout all show."""
    report = annual_check.party_building
    return {
        "report": report,
        "differences": [
            (label, display_value(known), display_value(reported))
            for label, known, reported in party_building_differences(report)
        ],
        "register_rows": register_rows(annual_check, user, masked=masked),
        "items": item_rows(annual_check),
    }


# --- List and start ---------------------------------------------------------------------------


class AnnualCheckListView(OrganizationUserRequiredMixin, ListView):
    template_name = "portal/annual_check/list.html"
    context_object_name = "annual_checks"

    def get_queryset(self):
        return own_annual_checks(self.request.user).prefetch_related("rectifications")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.request.user.organization
        year = report_year()
        current = own_annual_checks(self.request.user).filter(year=year).first()
        today = calendar.today()
        due = (
            deadline(annual_check=current)
            if current
            else deadline_for(organization=organization, year=year)
        )
        context.update(
            year=year,
            current=current,
            exemption=exemption_message(organization=organization, year=year),
            deadline=due,
            past_deadline=today > due,
        )
        return context


def deadline_for(*, organization, year: int) -> datetime.date:
    """The deadline a check not yet started will have (R-AC-2)."""
    from annualcheck.models import AnnualCheck

    unsaved = AnnualCheck(
        organization=organization,
        year=year,
        needs_pre_review=organization.supervisory_unit_id is not None,
    )
    return deadline(annual_check=unsaved)


class AnnualCheckStartView(OrganizationUserRequiredMixin, View):
    """POST only: open (or resume) the check for last year, prefilled by the service."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            annual_check = annual_check_start(
                organization=request.user.organization, year=report_year(), by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("portal:annual_checks")
        return redirect("portal:annual_check_edit", pk=annual_check.pk)


# --- One check --------------------------------------------------------------------------------


class AnnualCheckDetailView(OrganizationUserRequiredMixin, OwnAnnualCheckMixin, TemplateView):
    template_name = "portal/annual_check/detail.html"

    def get_context_data(self, answer_forms=None, **kwargs):
        annual_check = self.annual_check
        context = super().get_context_data(**kwargs)
        answer_forms = answer_forms or {}
        context.update(
            annual_check=annual_check,
            deadline=deadline(annual_check=annual_check),
            events=event_rows(annual_check),
            rectifications=[
                {
                    "item": item,
                    "overdue": item.is_overdue,
                    "form": answer_forms.get(item.pk)
                    or RectificationAnswerForm(
                        prefix=f"answer-{item.pk}", initial={"version": item.version}
                    ),
                }
                for item in with_overdue_flag(annual_check.rectifications.all())
            ],
            **report_context(annual_check),
        )
        return context


class RectificationAnswerView(AnnualCheckDetailView):
    """POST only: the organization's answer to one rectification item (R-AC-5); on an error the
    check's page comes back with the form and the service's message."""

    http_method_names = ["post"]

    def post(self, request, pk, rectification_pk):
        rectification = get_object_or_404(
            self.annual_check.rectifications.all(), pk=rectification_pk
        )
        form = RectificationAnswerForm(request.POST, prefix=f"answer-{rectification.pk}")
        if form.is_valid():
            try:
                rectification_answer(
                    rectification=rectification,
                    by=request.user,
                    answer=form.cleaned_data["answer"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Your answer has been sent."))
                return redirect("portal:annual_check", pk=self.annual_check.pk)
        return self.render_to_response(self.get_context_data(answer_forms={rectification.pk: form}))


# --- Print ------------------------------------------------------------------------------------


class AnnualCheckPrintView(LoginRequiredMixin, TemplateView):
    """《社会组织年度检查报告书》: any user who may see the check (staff from the admin too).
    ID numbers are masked unless the viewer may see them in full (R-ID-2)."""

    template_name = "portal/annual_check/print.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.annual_check = get_object_or_404(
                annual_checks_visible_to(request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        annual_check = self.annual_check
        context = super().get_context_data(**kwargs)
        context.update(
            annual_check=annual_check,
            organization=annual_check.organization,
            is_draft=annual_check.is_editable,
            item_titles=dict(ITEMS),
            **report_context(annual_check, self.request.user, masked=False),
        )
        if self.request.user.has_perm(UNMASK_PERMISSION):
            record_unmasked_view(
                self.request,
                model=RegisterEntry,
                count=len(context["register_rows"]),
                where=_("annual report printout · member register"),
                object_id=annual_check.pk,
            )
        return context
