"""The grade evaluation in the portal (R-EV-1..5): an organization's own evaluations with the
grade, its explanation and expiry (or the reasons it is not eligible), applying for the current
year, and one evaluation's page. Another organization's ids answer 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from core import calendar
from evaluation.admin import score_groups
from evaluation.choices import EvaluationStatus
from evaluation.selectors import evaluations_visible_to
from evaluation.services import evaluation_open

from .views import OrganizationUserRequiredMixin


def own_evaluations(user):
    """The organization's own evaluations; never another's."""
    return evaluations_visible_to(user).filter(organization_id=user.organization_id)


class EvaluationListView(OrganizationUserRequiredMixin, ListView):
    template_name = "portal/evaluation/list.html"
    context_object_name = "evaluations"

    def get_queryset(self):
        return own_evaluations(self.request.user).order_by("-year")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = calendar.today().year
        context.update(
            year=year,
            current=next((e for e in context["evaluations"] if e.year == year), None),
        )
        return context


class EvaluationApplyView(OrganizationUserRequiredMixin, View):
    """POST only: apply for this year's evaluation; eligibility is checked first."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            evaluation = evaluation_open(
                organization=request.user.organization,
                year=calendar.today().year,
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            texts = error.messages if isinstance(error, ValidationError) else [str(error)]
            for message in texts:
                messages.error(request, message)
            return redirect("portal:evaluations")
        if evaluation.status == EvaluationStatus.INELIGIBLE:
            messages.warning(
                request,
                _("Not eligible for evaluation: %(reasons)s")
                % {"reasons": "".join(evaluation.ineligible_reasons)},
            )
        else:
            messages.success(
                request,
                _("Your application is registered: the evaluation committee will score it."),
            )
        return redirect("portal:evaluation", pk=evaluation.pk)


class OwnEvaluationMixin:
    """Loads `self.evaluation` from the user's own evaluations (404 otherwise). Placed after the
    access mixin, so anonymous users are sent to log in before any lookup."""

    def dispatch(self, request, *args, **kwargs):
        self.evaluation = get_object_or_404(own_evaluations(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class EvaluationDetailView(OrganizationUserRequiredMixin, OwnEvaluationMixin, TemplateView):
    template_name = "portal/evaluation/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decided = self.evaluation.status == EvaluationStatus.DECIDED
        context.update(
            evaluation=self.evaluation,
            score_groups=score_groups(self.evaluation) if decided else [],
        )
        return context
