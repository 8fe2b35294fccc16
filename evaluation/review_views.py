"""The evaluation pages beside the admin (R-EV-1..6): opening an evaluation (eligibility first),
scoring, deciding the grade, the expiring grades and the year's statistics. Each form changes
state only on POST and only through evaluation.services, whose Chinese errors are shown on the
form."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import can_read_results, is_clerk, staff_page
from audit.downloads import export_response
from core import calendar
from core import review as core_review
from core.admin_widgets import AutocompleteSelect
from core.concurrency import last_change
from registry.models import Organization

from . import services
from .admin import score_groups
from .choices import GRADE_ORDER, EvaluationStatus, Grade
from .exports import title_for, write_evaluations
from .models import Evaluation
from .selectors import (
    evaluation_report,
    evaluation_rows,
    evaluations_visible_to,
    expiring_grades,
    latest_decided_year,
)


def _change_url(evaluation) -> str:
    return reverse("admin:evaluation_evaluation_change", args=[evaluation.pk])


def _context(request, title, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, "opts": Evaluation._meta, **extra}


def _service_messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or gettext("You may not do this.")]


# --- Opening an evaluation (R-EV-4, R-EV-5) ---------------------------------------------------


class OpenForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("social organization"), queryset=Organization.objects.order_by("name")
    )
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.widget = AutocompleteSelect(Evaluation._meta.get_field("organization"), admin.site)
        field.widget.choices = field.choices


@staff_page(is_clerk)
def open_evaluation(request):
    """The clerk opens an organization's evaluation; an ineligible one gets its reasons."""
    if request.method == "POST":
        form = OpenForm(request.POST)
        if form.is_valid():
            organization = form.cleaned_data["organization"]
            year = form.cleaned_data["year"]
            existed = Evaluation.objects.filter(organization=organization, year=year).exists()
            try:
                evaluation = services.evaluation_open(
                    organization=organization, year=year, by=request.user
                )
            except (ValidationError, PermissionDenied) as error:
                for message in _service_messages(error):
                    form.add_error(None, message)
            else:
                if existed:
                    messages.info(
                        request, gettext("This organization's evaluation for the year exists.")
                    )
                    return redirect(_change_url(evaluation))
                if evaluation.status == EvaluationStatus.INELIGIBLE:
                    messages.warning(
                        request,
                        gettext("Not eligible for evaluation: %(reasons)s")
                        % {"reasons": "".join(evaluation.ineligible_reasons)},
                    )
                    return redirect(_change_url(evaluation))
                messages.success(
                    request,
                    gettext("The evaluation is open; the Party-building indicator is prefilled."),
                )
                return redirect("evaluation:score", pk=evaluation.pk)
    else:
        form = OpenForm(initial={"year": calendar.today().year})
    return render(
        request,
        "admin/evaluation/open.html",
        _context(request, _("Open an evaluation"), form=form),
    )


# --- Scoring and deciding ---------------------------------------------------------------------


class ScoreForm(forms.Form):
    """One number per leaf indicator; Party-building rows also take the adjustment's reason.
    The maximum is checked by the service (its Chinese message)."""

    # The evaluation's version the page was built from (core.concurrency): a stale page's
    # scores are refused instead of overwriting another evaluator's.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for group in groups:
            rows = []
            for row in group["rows"]:
                indicator, score = row["indicator"], row["score"]
                name = f"points_{indicator.pk}"
                self.fields[name] = forms.IntegerField(
                    label=indicator.name,
                    required=False,
                    min_value=0,
                    initial=score.points if score else None,
                    widget=forms.NumberInput(attrs={"min": 0, "max": indicator.max_points}),
                )
                reason = None
                if indicator.is_party_building:
                    reason = f"reason_{indicator.pk}"
                    self.fields[reason] = forms.CharField(
                        label=_("reason for the adjustment"),
                        required=False,
                        initial=score.reason if score else "",
                        widget=forms.TextInput(attrs={"size": 40}),
                    )
                rows.append(
                    {
                        "indicator": indicator,
                        "score": score,
                        "field": self[name],
                        "reason": self[reason] if reason else None,
                    }
                )
            self.groups.append({"indicator": group["indicator"], "rows": rows})

    def points(self) -> dict[int, int]:
        return {
            int(name.removeprefix("points_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("points_") and value is not None
        }

    def reasons(self) -> dict[int, str]:
        return {
            int(name.removeprefix("reason_")): value or ""
            for name, value in self.cleaned_data.items()
            if name.startswith("reason_")
        }


def _scoring_evaluation(request, pk):
    return get_object_or_404(evaluations_visible_to(request.user), pk=pk)


@staff_page(is_clerk)
def score(request, pk):
    """The evaluators' points per leaf indicator (R-EV-2, R-EV-3)."""
    evaluation = _scoring_evaluation(request, pk)
    groups = score_groups(evaluation)
    if request.method == "POST":
        form = ScoreForm(request.POST, groups=groups)
        if form.is_valid():
            try:
                services.evaluation_score(
                    evaluation=evaluation,
                    by=request.user,
                    points=form.points(),
                    reasons=form.reasons(),
                    expected_version=form.cleaned_data["version"],
                )
            except PermissionDenied as error:
                form.add_error(None, _service_messages(error))
            except ValidationError as error:
                for item in error.error_list:
                    # The service names the indicator and field in error: mark that box.
                    params = item.params or {}
                    field = f"{params.get('field')}_{params.get('indicator_id')}"
                    form.add_error(field if field in form.fields else None, item.messages)
            else:
                messages.success(request, gettext("The scores are saved."))
                if "_decide" in request.POST:
                    return redirect("evaluation:decide", pk=evaluation.pk)
                return redirect(_change_url(evaluation))
    elif evaluation.status != EvaluationStatus.SCORING:
        # A stale link: show the evaluation as it is now and who dealt with it last.
        who, when = last_change(evaluation)
        messages.warning(
            request,
            gettext(
                "This evaluation was dealt with by %(who)s at %(when)s and is now “%(status)s”: "
                "it can no longer be scored."
            )
            % {
                "who": who or gettext("someone else"),
                "when": when,
                "status": evaluation.get_status_display(),
            },
        )
        return redirect(_change_url(evaluation))
    else:
        form = ScoreForm(groups=groups, initial={"version": evaluation.version})
    return render(
        request,
        "admin/evaluation/evaluation/score.html",
        _context(
            request,
            _("Score"),
            evaluation=evaluation,
            form=form,
            change_url=_change_url(evaluation),
            max_total=sum(r["indicator"].max_points for g in groups for r in g["rows"]),
            total_so_far=sum(r["score"].points for g in groups for r in g["rows"] if r["score"]),
        ),
    )


def _posted_version(request) -> int | None:
    """The version the decide page was built from (None when the post carries none)."""
    field = forms.IntegerField(required=False, min_value=0)
    try:
        return field.clean(request.POST.get("version"))
    except ValidationError as error:
        raise SuspiciousOperation("malformed version") from error


@staff_page(is_clerk)
def decide(request, pk):
    """Total → grade → R-EV-3 downgrade; the explanation is shown in the success message."""
    evaluation = _scoring_evaluation(request, pk)
    errors = []
    if request.method == "POST":
        try:
            decided = services.evaluation_decide(
                evaluation=evaluation, by=request.user, expected_version=_posted_version(request)
            )
        except (ValidationError, PermissionDenied) as error:
            errors = _service_messages(error)
        else:
            messages.success(
                request,
                gettext("Grade decided: %(explanation)s.") % {"explanation": decided.explanation},
            )
            return redirect(_change_url(decided))
    elif evaluation.status != EvaluationStatus.SCORING:
        errors = [gettext("This evaluation is not being scored.")]
    groups = score_groups(evaluation)
    scored = [r["score"].points for g in groups for r in g["rows"] if r["score"]]
    # What confirming would give, shown before the clerk confirms it.
    decision = (
        services.grade_decision(evaluation, decided_on=calendar.today())
        if evaluation.status == EvaluationStatus.SCORING
        else None
    )
    return render(
        request,
        "admin/evaluation/evaluation/decide.html",
        _context(
            request,
            _("Decide the grade"),
            evaluation=evaluation,
            decision=decision,
            errors=errors,
            score_groups=groups,
            total_so_far=sum(scored),
            change_url=_change_url(evaluation),
        ),
    )


# --- Lists and statistics ---------------------------------------------------------------------


@staff_page(can_read_results)
def expiring(request):
    """Grades whose five years end within six months."""
    visible = evaluations_visible_to(request.user).values("pk")
    rows = expiring_grades().filter(pk__in=visible)
    return render(
        request,
        "admin/evaluation/expiring.html",
        _context(request, _("Grades about to expire"), evaluations=rows),
    )


@staff_page(can_read_results)
def statistics(request):
    """A year's evaluations by grade and the R-EV-6 share of newly rated 3A-and-above
    organizations with Party organization coverage."""
    default = latest_decided_year() or calendar.today().year
    year = core_review.year_asked(request, default)
    report = evaluation_report(year=year, evaluations=evaluations_visible_to(request.user))
    rows = [
        {"grade": grade, "label": Grade(grade).label, "count": report["by_grade"].get(grade, 0)}
        for grade in GRADE_ORDER
    ]
    chart = {
        "labels": [str(row["label"]) for row in rows],
        "values": [row["count"] for row in rows],
        "label": gettext("Evaluations"),
    }
    evaluated = set(
        evaluations_visible_to(request.user).order_by().values_list("year", flat=True).distinct()
    )
    return render(
        request,
        "admin/evaluation/statistics.html",
        _context(
            request,
            _("Evaluation statistics"),
            year=year,
            years=sorted({*evaluated, year, calendar.today().year}, reverse=True),
            report=report,
            rows=rows,
            rate_percent=round(report["new_3a_plus_party_org_rate"] * 100, 1),
            chart=chart,
        ),
    )


@staff_page(can_read_results)
def results_download(request):
    """A year's evaluations as Excel, over what the user may see (the export_evaluations
    command's builder)."""
    year = core_review.year_asked(request, latest_decided_year() or calendar.today().year)
    return export_response(
        request,
        write=lambda target: write_evaluations(
            target,
            evaluation_rows(evaluations_visible_to(request.user).filter(year=year)),
            title=title_for(year),
            year=year,
        ),
        filename=f"{title_for(year)}.xlsx",
        kind="evaluations",
        object_type="evaluation.evaluation",
        what=title_for(year),
        filters={"year": year},
    )
