"""The annual-check pages beside the admin (R-AC-2..6): the supervisory unit's pre-review,
returning a check, the clerk's item-by-item review, reopening rectification items, the
revocation review list and the results download. Each form changes state only on POST and
only through annualcheck.services, whose Chinese errors are shown on the form. The forms of
the moves carry the check's version: a page opened before someone else's change is refused with
the name of who changed it and when (core.concurrency.StaleEdit)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import can_read_results, can_review, is_clerk, staff_page
from audit.downloads import export_response
from core import review as core_review
from core.concurrency import VersionedForm

from . import services
from .choices import ITEMS
from .choices import CheckStatus as S
from .exports import RESULT_LABELS, export_title, write_annual_checks
from .models import CLERK, SUPERVISOR, AnnualCheck, Rectification
from .selectors import (
    annual_check_moves_for,
    annual_check_rows,
    annual_checks_visible_to,
    default_year,
    rectifications_visible_to,
    results_by_organization,
    revocation_review_candidates,
    years_reported,
)
from .services import rectifications
from .signals import review_notes_wanted
from .workflow import annual_check_acts_as

RECTIFICATION_ROWS = 5


# --- Forms ------------------------------------------------------------------------------------


class PreReviewForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("pass", _("Pass the pre-review")), ("return", _("Return"))],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=_("pre-review opinion"), widget=forms.Textarea(attrs={"rows": 5})
    )


class ReturnForm(VersionedForm):
    remarks = forms.CharField(
        label=_("what the organization must correct"), widget=forms.Textarea(attrs={"rows": 6})
    )


class ReviewForm(VersionedForm):
    """Items 1–10 in order (Party-building first), the result, its reason, rectifications."""

    result = forms.ChoiceField(
        label=_("result"),
        choices=[("", "---------"), *RESULT_LABELS.items()],
        required=False,
    )
    reason = forms.CharField(
        label=_("reason for the result"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the result differs from the one the rules imply (R-AC-4)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, label in ITEMS:
            self.fields[f"opinion_{number}"] = forms.CharField(
                label=f"{number}. {label}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for row in range(1, RECTIFICATION_ROWS + 1):
            self.fields[f"problem_{row}"] = forms.CharField(
                label=_("problem"), required=False, widget=forms.TextInput(attrs={"size": 60})
            )
            self.fields[f"due_on_{row}"] = forms.DateField(
                label=_("due on"),
                required=False,
                widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            )

    def opinion_fields(self):
        return [self[f"opinion_{number}"] for number, _label in ITEMS]

    def rectification_fields(self):
        return [
            (self[f"problem_{row}"], self[f"due_on_{row}"])
            for row in range(1, RECTIFICATION_ROWS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        for row in range(1, RECTIFICATION_ROWS + 1):
            problem = (cleaned.get(f"problem_{row}") or "").strip()
            due_on = cleaned.get(f"due_on_{row}")
            if problem and not due_on and f"due_on_{row}" not in self.errors:
                self.add_error(f"due_on_{row}", gettext("Give the rectification's deadline."))
            if due_on and not problem:
                self.add_error(f"problem_{row}", gettext("Describe the problem to rectify."))
        return cleaned

    def opinions(self) -> dict[int, str]:
        return {number: self.cleaned_data[f"opinion_{number}"] for number, _label in ITEMS}

    def rectifications(self) -> list[tuple[str, object]]:
        rows = []
        for row in range(1, RECTIFICATION_ROWS + 1):
            problem = (self.cleaned_data.get(f"problem_{row}") or "").strip()
            if problem:
                rows.append((problem, self.cleaned_data[f"due_on_{row}"]))
        return rows


class ReopenForm(VersionedForm):
    """The reason, and the item's version the page was built from (core.concurrency)."""

    reason = forms.CharField(
        label=_("reason for reopening"), widget=forms.Textarea(attrs={"rows": 4})
    )


def moved_on_message(annual_check) -> str:
    """ "该年检已由 某某 于 某时 办理": the last move's actor and time, the state now."""
    return core_review.moved_on_message(
        annual_check,
        annual_check.events.filter(rectification__isnull=True),
        gettext(
            "This annual check was dealt with by %(who)s at %(when)s and is now “%(status)s”: "
            "this step is not possible now."
        ),
    )


# --- The moves --------------------------------------------------------------------------------


def _page(
    request,
    pk,
    *,
    to,
    actors,
    form_class,
    title,
    act,
    field=None,
    initial=None,
    template="admin/annualcheck/annualcheck/review_form.html",
    context=None,
):
    """One review page (core.review): POST acts through `act(annual_check, form)` (which calls
    the services and returns the success message)."""
    annual_check = get_object_or_404(
        annual_checks_visible_to(request.user).exclude(status=S.DRAFT), pk=pk
    )
    if not any(annual_check_acts_as(request.user, actor, annual_check) for actor in actors):
        raise PermissionDenied
    return core_review.review_page(
        request,
        annual_check,
        move=to,
        moves_for=annual_check_moves_for,
        moved_on=moved_on_message,
        change_url=reverse("admin:annualcheck_annualcheck_change", args=[annual_check.pk]),
        form_class=form_class,
        act=act,
        template=template,
        context={"title": title, "annual_check": annual_check},
        field=field,
        initial=initial,
        extra_context=context,
    )


@staff_page(can_review)
def pre_review(request, pk):
    """The supervisory unit's pre-review (初审): an opinion, then pass or return."""

    def act(annual_check, form):
        passed = form.cleaned_data["decision"] == "pass"
        services.annual_check_pre_review(
            annual_check=annual_check,
            by=request.user,
            opinion=form.cleaned_data["opinion"],
            passed=passed,
            expected_version=form.cleaned_data["version"],
        )
        if passed:
            return gettext("Pre-review passed: the registration authority reviews it next.")
        return gettext("Returned to the organization for correction.")

    return _page(
        request,
        pk,
        to=S.PRE_REVIEWED,
        actors=(SUPERVISOR,),
        form_class=PreReviewForm,
        title=_("Pre-review by the supervisory unit"),
        act=act,
        field="opinion",
        initial=lambda _check: {
            "decision": "return" if request.GET.get("decision") == "return" else "pass"
        },
    )


@staff_page(can_review)
def return_check(request, pk):
    def act(annual_check, form):
        services.annual_check_return(
            annual_check=annual_check,
            by=request.user,
            remarks=form.cleaned_data["remarks"],
            expected_version=form.cleaned_data["version"],
        )
        return gettext("Returned to the organization for correction.")

    return _page(
        request,
        pk,
        to=S.RETURNED,
        actors=(CLERK, SUPERVISOR),
        form_class=ReturnForm,
        title=_("Return for correction"),
        act=act,
        field="remarks",
    )


def review_notes(annual_check) -> list[tuple[str, list[str]]]:
    """What the apps above say about the organization (its listings, R-CR), by heading."""
    notes = []
    for _receiver, answer in review_notes_wanted.send(
        sender=AnnualCheck, annual_check=annual_check
    ):
        notes.extend(answer or [])
    return notes


def _review_context(annual_check):
    implied = services.default_result(annual_check=annual_check)
    return {
        "review_notes": review_notes(annual_check),
        "implied_result": implied,
        "implied_label": RESULT_LABELS.get(implied, ""),
        "items": {item.number: item for item in annual_check.items.all()},
        "report": getattr(annual_check, "party_building", None),
    }


@staff_page(can_review)
def review(request, pk):
    """The clerk's review: opinions on items 1–10, the result (R-AC-3; 不合格 preselected when
    the organization is 应建未建, R-AC-4), its reason and rectification items (R-AC-5)."""

    def initial(annual_check):
        values = {f"opinion_{item.number}": item.clerk_opinion for item in annual_check.items.all()}
        implied = services.default_result(annual_check=annual_check)
        if implied:
            values["result"] = implied
        return values

    def act(annual_check, form):
        if "_save_opinions" in request.POST:
            services.annual_check_item_opinions_save(
                annual_check=annual_check,
                by=request.user,
                opinions=form.opinions(),
                expected_version=form.cleaned_data["version"],
            )
            return gettext("The opinions are saved.")
        services.annual_check_review(
            annual_check=annual_check,
            by=request.user,
            result=form.cleaned_data["result"],
            reason=form.cleaned_data["reason"],
            rectifications=form.rectifications(),
            opinions=form.opinions(),
            expected_version=form.cleaned_data["version"],
        )
        return gettext("Reviewed. Result: %(result)s.") % {
            "result": RESULT_LABELS[form.cleaned_data["result"]]
        }

    return _page(
        request,
        pk,
        to=S.REVIEWED,
        actors=(CLERK,),
        form_class=ReviewForm,
        title=_("Review and set the result"),
        act=act,
        field={"result": "result", "reason_required": "reason"},
        initial=initial,
        template="admin/annualcheck/annualcheck/review.html",
        context=_review_context,
    )


# --- Rectifications ---------------------------------------------------------------------------


@staff_page(is_clerk)
def rectification_reopen(request, pk):
    """R-AC-5: the clerk reopens a rectification item, with the reason."""
    rectification = get_object_or_404(rectifications_visible_to(request.user), pk=pk)
    change_url = reverse("admin:annualcheck_rectification_change", args=[rectification.pk])
    if request.method == "POST":
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                rectifications.rectification_reopen(
                    rectification=rectification,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                core_review.service_error_add(form, error, "reason")
            else:
                messages.success(request, gettext("The rectification item is open again."))
                return redirect(change_url)
    else:
        form = ReopenForm(initial={"version": rectification.version})
    return render(
        request,
        "admin/annualcheck/rectification/reopen.html",
        {
            **admin.site.each_context(request),
            "title": _("Reopen the rectification item"),
            "rectification": rectification,
            "opts": Rectification._meta,
            "form": form,
            "change_url": change_url,
        },
    )


# --- Revocation review (R-AC-6) and the results download --------------------------------------


@staff_page(is_clerk)
def revocation_review(request):
    """Organizations unqualified two years running (or missing, then unqualified)."""
    years = years_reported(AnnualCheck.objects.exclude(result=""))
    year = core_review.year_asked(request, default_year(years))
    organizations = list(
        revocation_review_candidates(year=year).select_related("supervisory_unit", "district")
    )
    results = results_by_organization([o.pk for o in organizations], [year - 1, year])
    decisions = revocations_of([o.pk for o in organizations])
    rows = []
    for organization in organizations:
        by_year = results.get(organization.pk, {})
        previous = by_year.get(year - 1)
        rows.append(
            {
                "organization": organization,
                "previous": RESULT_LABELS.get(previous[0], "") if previous else "",
                "previous_missing": not previous or not previous[0],
                "current": RESULT_LABELS.get(by_year.get(year, ("", ""))[0], ""),
                # R-DEREG-9: the decision once recorded, else the way to record it.
                "revocation": decisions.get(organization.pk),
            }
        )
    return render(
        request,
        "admin/annualcheck/revocation_review.html",
        {
            **admin.site.each_context(request),
            "title": gettext("Organizations for the revocation review"),
            "year": year,
            "previous_year": year - 1,
            "years": sorted({*years, year}, reverse=True),
            "rows": rows,
        },
    )


def revocations_of(organization_ids) -> dict:
    """{organization_id: its recorded revocation} for the review list (one query)."""
    from registry.choices import DeregistrationKind, DeregistrationStatus
    from registry.models import Deregistration

    return {
        record.organization_id: record
        for record in Deregistration.objects.filter(
            organization_id__in=organization_ids,
            kind=DeregistrationKind.REVOCATION,
            status=DeregistrationStatus.COMPLETED,
        ).select_related("decided_by")
    }


def results_response(checks, *, year, request) -> FileResponse:
    """The year's results as a download, its export recorded in the audit log."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    return export_response(
        request,
        write=lambda target: write_annual_checks(
            target, annual_check_rows(checks), title=export_title(year), year=year
        ),
        filename=f"{export_title(year)}{stamp}.xlsx",
        kind="annual_checks",
        object_type="annualcheck.annualcheck",
        what=export_title(year),
        filters={**request.GET.dict(), "year": year},
    )


@staff_page(can_read_results)
def results_download(request):
    visible = annual_checks_visible_to(request.user).exclude(status=S.DRAFT)
    year = core_review.year_asked(request, default_year(years_reported(visible)))
    checks = visible.filter(year=year)
    return results_response(checks, year=year, request=request)
