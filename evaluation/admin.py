"""Grade evaluation in the admin (R-EV-1..6). Schemes are edited here until an evaluation uses
them; evaluations are read-only: clerks open, score and decide through the pages of
evaluation.review_views, which call the services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import is_clerk
from core.admin import BaseAdmin
from registry.choices import OrganizationType

from .choices import EvaluationStatus
from .models import Evaluation, Indicator, Scheme
from .selectors import evaluation_moves_for, evaluations_visible_to
from .services import leaf_indicators

TOTAL_POINTS = 1000


# --- Schemes ----------------------------------------------------------------------------------


def leaf_sums(nodes) -> dict[str, int]:
    """Each organization type's leaf points. `nodes`: (key, parent key, type, max points), the
    tree as leaf_indicators reads it (a leaf applies when its root applies to the type)."""
    nodes = list(nodes)
    parents = {parent for _key, parent, _type, _points in nodes if parent is not None}
    by_key = {key: (parent, kind) for key, parent, kind, _points in nodes}

    def root_type(key):
        seen = set()
        while by_key.get(key, (None, ""))[0] is not None and key not in seen:
            seen.add(key)
            key = by_key[key][0]
        return by_key.get(key, (None, ""))[1]

    sums = {}
    for kind in OrganizationType.values:
        sums[kind] = sum(
            points
            for key, _parent, _type, points in nodes
            if key not in parents and root_type(key) in ("", kind)
        )
    return sums


def scheme_leaf_sums(scheme) -> list[dict]:
    """The change page's check: each type's leaves with their sum, which must be 1000."""
    rows = []
    for kind, label in OrganizationType.choices:
        total = sum(i.max_points for i in leaf_indicators(scheme, kind))
        rows.append({"type": label, "total": total, "ok": total == TOTAL_POINTS})
    return rows


class IndicatorFormSet(forms.BaseInlineFormSet):
    """Each organization type's leaves must sum to 1000 points (R-EV-1)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            return
        nodes, deleted = [], set()
        for form in self.forms:
            if form.cleaned_data.get("DELETE") and form.instance.pk:
                deleted.add(form.instance.pk)
        for number, form in enumerate(kept):
            data = form.cleaned_data
            key = form.instance.pk or f"new-{number}"
            parent = data.get("parent")
            if parent is not None and parent.pk == form.instance.pk:
                form.add_error("parent", _("An indicator cannot be its own parent."))
                return
            if parent is not None and parent.pk in deleted:
                form.add_error("parent", _("This parent indicator is being deleted."))
                return
            nodes.append(
                (
                    key,
                    parent.pk if parent is not None else None,
                    data.get("organization_type") or "",
                    data.get("max_points") or 0,
                )
            )
        wrong = {kind: total for kind, total in leaf_sums(nodes).items() if total != TOTAL_POINTS}
        if wrong:
            labels = dict(OrganizationType.choices)
            raise ValidationError(
                gettext(
                    "The leaf indicators of each kind of organization add up to %(total)s "
                    "points: %(sums)s."
                ),
                code="sum",
                params={
                    "total": TOTAL_POINTS,
                    "sums": "；".join(
                        gettext("%(kind)s %(total)s points")
                        % {"kind": labels[kind], "total": total}
                        for kind, total in wrong.items()
                    ),
                },
            )


class IndicatorInline(admin.TabularInline):
    model = Indicator
    formset = IndicatorFormSet
    fk_name = "scheme"
    fields = (
        "name",
        "code",
        "parent",
        "max_points",
        "organization_type",
        "is_party_building",
        "position",
    )
    extra = 1
    ordering = ("parent_id", "position", "pk")

    def get_formset(self, request, obj=None, **kwargs):
        self._scheme = obj
        # The column header reads the form's Meta labels (the model field has no Chinese name).
        kwargs.setdefault("labels", {"parent": _("parent indicator")})
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["label"] = _("parent indicator")
            scheme = getattr(self, "_scheme", None)
            kwargs["queryset"] = (
                Indicator.objects.filter(scheme=scheme, parent__isnull=True)
                if scheme is not None
                else Indicator.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _locked(self, obj):
        return obj is not None and obj.in_use

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Scheme)
class SchemeAdmin(BaseAdmin):
    list_display = (
        "year",
        "name",
        "five_a_from",
        "four_a_from",
        "three_a_from",
        "two_a_from",
        "one_a_from",
        "party_building_min_share",
        "locked",
    )
    fields = (
        "year",
        "name",
        ("five_a_from", "four_a_from", "three_a_from", "two_a_from", "one_a_from"),
        "party_building_min_share",
    )
    inlines = [IndicatorInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(is_in_use=Exists(Evaluation.objects.filter(scheme=OuterRef("pk"))))
        )

    @admin.display(description=_("in use (locked)"), boolean=True, ordering="-is_in_use")
    def locked(self, scheme):
        return scheme.is_in_use

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.in_use:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.in_use:
            return False
        return super().has_delete_permission(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                in_use=obj.in_use,
                evaluation_count=obj.evaluations.count(),
                leaf_sums=scheme_leaf_sums(obj),
                total_points=TOTAL_POINTS,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


# --- Evaluations ------------------------------------------------------------------------------


def score_groups(evaluation) -> list[dict]:
    """The leaf indicators of the evaluation, grouped under their first-level indicator, each
    with its score (or None)."""
    leaves = leaf_indicators(evaluation.scheme, evaluation.organization.organization_type)
    scores = {s.indicator_id: s for s in evaluation.scores.all()}
    tops = {i.pk: i for i in evaluation.scheme.indicators.filter(parent__isnull=True)}
    groups: dict[int, dict] = {}
    for leaf in leaves:
        top = tops.get(leaf.parent_id or leaf.pk, leaf)
        group = groups.setdefault(top.pk, {"indicator": top, "rows": []})
        group["rows"].append({"indicator": leaf, "score": scores.get(leaf.pk)})
    ordered = sorted(groups.values(), key=lambda g: (g["indicator"].position, g["indicator"].pk))
    return ordered


def evaluation_buttons(evaluation, user) -> list[dict]:
    # Scoring and deciding go together: offered exactly when the user may decide it now.
    if EvaluationStatus.DECIDED not in evaluation_moves_for(evaluation, user):
        return []
    return [
        {"url": reverse("evaluation:score", args=[evaluation.pk]), "label": gettext("Score")},
        {
            "url": reverse("evaluation:decide", args=[evaluation.pk]),
            "label": gettext("Decide the grade"),
        },
    ]


@admin.register(Evaluation)
class EvaluationAdmin(BaseAdmin):
    list_display = (
        "organization",
        "year",
        "status",
        "total",
        "grade_by_score",
        "grade",
        "downgraded",
        "decided_on",
        "validity",
    )
    # The organization's page (its Party-building at a glance) links here for its own rows.
    linked_lookups = ("organization__id__exact",)
    list_filter = ("year", "status", "grade", "downgraded")
    list_select_related = ("organization", "scheme")
    search_fields = ("organization__name", "organization__credit_code")
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("organization", "year", "scheme", "status")}),
        (
            _("Result"),
            {
                "fields": (
                    "total",
                    "party_building_score",
                    "grade_by_score",
                    "grade",
                    "downgraded",
                    "had_party_organization",
                    "explanation",
                    "decided_on",
                    "valid_until",
                    "decided_by",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return evaluations_visible_to(request.user)

    @admin.display(description=_("valid until"), ordering="valid_until")
    def validity(self, evaluation):
        if evaluation.valid_until is None:
            return self.get_empty_value_display()
        if evaluation.is_expired:
            return format_html(
                '{} <span class="grade-expired">{}</span>',
                date_format(evaluation.valid_until, "Y-m-d"),
                gettext("(expired)"),
            )
        return date_format(evaluation.valid_until, "Y-m-d")

    def has_add_permission(self, request):
        return False  # opened through the "open an evaluation" page (eligibility first)

    def has_change_permission(self, request, obj=None):
        return False  # a view; scores and grades go through the services

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_open": is_clerk(request.user)}
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                evaluation_buttons=evaluation_buttons(obj, request.user),
                score_groups=score_groups(obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
