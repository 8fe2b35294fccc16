import re
from functools import reduce
from operator import or_

from django import forms
from django.contrib import admin
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.admin import BaseAdmin, BaseHistoryAdmin

from .admin_widgets import SafeAutocompleteAdminMixin
from .bureau import bureau_defaults
from .choices import ApplicationStatus, CopyKind
from .concurrency_admin import OptimisticLockAdminMixin
from .credit_codes import normalize_credit_code
from .id_number_audit import record_unmasked_view
from .identity import UNMASK_PERMISSION, id_number_for_display
from .masking_admin import MaskedPhonesAdmin
from .models import (
    Application,
    ApplicationMember,
    ApplicationSubmission,
    BureauProfile,
    District,
    Division,
    Industry,
    Organization,
    PartyBuildingBody,
    RegistrationTemplate,
    Street,
    SupervisoryUnit,
)
from .pagination import LargeTablePaginator
from .selectors import (
    AWAITING_APPROVAL,
    AWAITING_CONSENT,
    application_moves_for,
    applications_visible_to,
    charter_diff,
    organizations_visible_to,
    submission_diff,
)
from .services.bureau import bureau_profile_save
from .services.registration import BASIC_FIELDS

admin.site.site_header = _("Social organization registry and Party-building synchronization")
admin.site.site_title = _("Social organization registry")
admin.site.index_title = _("Registration authority workbench")
admin.site.index_template = "admin/workbench_index.html"

# Each role's home page names its role (issue 19), not the clerks' title for everyone.
WORKBENCH_TITLES = {
    "clerk": _("Registration authority workbench"),
    "supervisory_unit": _("Business supervisory unit workbench"),
    "committee": _("Party working committee workbench"),
    "system_admin": _("System administrator workbench"),
    "security_admin": _("Security administrator workbench"),
    "audit_admin": _("Audit administrator workbench"),
}


def workbench_title(user) -> str:
    """The admin home page's title for `user`'s role; a supervisory unit's names the unit."""
    from accounts import roles

    if user.is_superuser or user.has_role(roles.CLERK):
        return str(WORKBENCH_TITLES[roles.CLERK])
    for role in (roles.SUPERVISORY_UNIT, roles.COMMITTEE, *sorted(roles.ADMIN_ROLES)):
        if user.has_role(role):
            title = str(WORKBENCH_TITLES[role])
            unit = getattr(user, "supervisory_unit", None)
            if role == roles.SUPERVISORY_UNIT and unit is not None:
                title = f"{title}（{unit.name}）"
            return title
    return str(admin.site.index_title)


def _index_titled_for_the_role(request, extra_context=None, _index=admin.site.index):
    return _index(request, {"title": workbench_title(request.user), **(extra_context or {})})


admin.site.index = _index_titled_for_the_role


class LargeTableAdmin:
    """Change lists that cost the same at a city's size and a province's: the count stops at
    the paginator's cap (an estimate past it), no second count of the whole table, and no
    per-filter facet counts, which would each scan the table."""

    paginator = LargeTablePaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER


class TrigramSearch:
    """Name search served by pg_trgm indexes on ``UPPER(field)`` (migration 0007). A word of
    fewer than three characters has no trigram: PostgreSQL would read the whole index and
    recheck every row (seconds at a province's size). Such words use ``short_word_lookup``
    instead, which that index does not serve: ``contains`` (case-sensitive; Chinese has no
    case) lets the list's ordered scan find a common word's first page at once, ``startswith``
    suits personal names (a surname, a two-character name) and can use a B-tree."""

    short_word_lookup = "contains"

    def get_search_results(self, request, queryset, search_term):
        words = search_term.split()
        if not words or all(len(word) >= 3 for word in words):
            return super().get_search_results(request, queryset, search_term)
        condition = Q()
        for word in words:
            lookup = "icontains" if len(word) >= 3 else self.short_word_lookup
            condition &= reduce(
                or_, (Q(**{f"{field}__{lookup}": word}) for field in self.search_fields)
            )
        return queryset.filter(condition), False


# A term shaped like the start of a credit code: authority, type and region at least (R-ID-1).
CREDIT_CODE_PREFIX = re.compile(r"^5[1239][0-9]{6}[0-9A-HJ-NP-RTUW-Y]{0,10}$")


def credit_code_lookup(search_term: str, field: str = "credit_code") -> Q | None:
    """The lookup a search term means when it is (the start of) a credit code: the exact code
    or a prefix (LIKE 'x%', on PostgreSQL's pattern index of the column); None otherwise."""
    code = normalize_credit_code(search_term)
    if not CREDIT_CODE_PREFIX.match(code):
        return None
    if len(code) == 18:
        return Q(**{field: code})
    return Q(**{f"{field}__startswith": code})


@admin.register(Organization)
class OrganizationAdmin(
    SafeAutocompleteAdminMixin,
    OptimisticLockAdminMixin,
    LargeTableAdmin,
    TrigramSearch,
    BaseHistoryAdmin,
):
    list_display = (
        "name",
        "credit_code",
        "organization_type",
        "industry",
        "district",
        "supervisory_unit",
        "bureau_managed",
        "status",
    )
    list_select_related = ("industry", "district", "supervisory_unit")
    # Credit codes are searched apart (get_search_results): `icontains` would scan the table.
    search_fields = ("name", "legal_representative")
    list_filter = (
        "organization_type",
        "industry",
        "district",
        "supervisory_unit",
        "status",
        "bureau_managed",
    )
    readonly_fields = ("bureau_managed", "created_at", "updated_at")
    autocomplete_fields = ("street",)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("name", "credit_code", "organization_type", "industry", "status")}),
        (
            _("Supervision"),
            {"fields": ("supervisory_unit", "bureau_managed", "party_building_body")},
        ),
        (
            _("Contacts and location"),
            {
                "fields": (
                    "legal_representative",
                    "contact_person",
                    "contact_phone",
                    "address",
                    "district",
                    "street",
                    "full_time_staff",
                )
            },
        ),
        (_("Dates"), {"fields": ("established_on", "registered_on", "created_at", "updated_at")}),
    )
    history_list_display = ("status",)

    def get_queryset(self, request):
        # Scoping lives in the selector, so the admin, the portal and exports agree.
        return organizations_visible_to(request.user)

    def get_search_results(self, request, queryset, search_term):
        # Credit codes are read off paper: accept lower case and stray spaces.
        lookup = credit_code_lookup(search_term)
        if lookup is not None:
            return queryset.filter(lookup), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(Industry)
class IndustryAdmin(BaseHistoryAdmin):
    list_display = ("name", "code", "sort_order")
    search_fields = ("name", "code")


class StreetInline(admin.TabularInline):
    model = Street
    extra = 0


@admin.register(District)
class DistrictAdmin(BaseHistoryAdmin):
    list_display = ("name", "code", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    inlines = (StreetInline,)


@admin.register(Street)
class StreetAdmin(BaseHistoryAdmin):
    list_display = ("name", "code", "district")
    list_select_related = ("district",)
    list_filter = ("district",)
    search_fields = ("name", "code", "district__name")


@admin.register(BureauProfile)
class BureauProfileAdmin(BaseHistoryAdmin):
    """The bureau's first-day set-up (one row), kept by the system administrator."""

    list_display = ("authority_name", "region_code", "organization_code_prefix", "ledger_title")
    fields = ("authority_name", "region_code", "organization_code_prefix", "ledger_title")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not BureauProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        defaults = bureau_defaults()
        return {name: getattr(defaults, name) for name in self.fields}

    def save_model(self, request, obj, form, change):
        saved, _synced = bureau_profile_save(
            by=request.user, **{name: form.cleaned_data[name] for name in self.fields}
        )
        obj.pk = saved.pk


@admin.register(Division)
class DivisionAdmin(BaseAdmin):
    """The national list shipped with the product: read-only (update_divisions refreshes it)."""

    list_display = ("code", "name", "level", "parent_code", "is_current")
    list_filter = ("level", "is_current")
    search_fields = ("=code", "name")
    list_per_page = 100
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupervisoryUnit)
class SupervisoryUnitAdmin(BaseHistoryAdmin):
    list_display = ("name", "is_civil_affairs")
    list_filter = ("is_civil_affairs",)
    search_fields = ("name",)


@admin.register(PartyBuildingBody)
class PartyBuildingBodyAdmin(BaseHistoryAdmin):
    list_display = ("name", "is_default")
    search_fields = ("name",)


# --- Registration review (R-REG-1..5) ---------------------------------------------------------

# The buttons of the change page: the status a move leads to, its page, its label.
REVIEW_MOVES = {
    ApplicationStatus.CONSENTED: ("registry:application_consent", _("Consent")),
    ApplicationStatus.APPROVED: ("registry:application_approve", _("Approve")),
    ApplicationStatus.RETURNED: ("registry:application_return", _("Return for correction")),
    ApplicationStatus.REJECTED: ("registry:application_reject", _("Reject")),
}


def _submission_count():
    # A correlated count rather than a join: the change list's totals stay plain COUNT(*)s.
    return Coalesce(
        Subquery(
            ApplicationSubmission.objects.filter(application=OuterRef("pk"))
            .order_by()
            .values("application")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


REFERENCE = re.compile(r"^DJ\d{4}(\d{6,})$")


class ApplicationMemberInline(MaskedPhonesAdmin, admin.TabularInline):
    """The member form 《新建社会组织党员情况表》 as submitted: read-only, ID numbers masked
    unless the user holds the explicit permission (R-ID-2)."""

    model = ApplicationMember
    extra = 0
    can_delete = False
    fields = (
        "name",
        "sex",
        "id_number_shown",
        "status",
        "full_membership_due_on",
        "joined_party_on",
        "role",
        "relationship",
        "certificate_letter_on",
        "certificate_letter_issuer",
        "phone",
    )
    readonly_fields = fields
    masked_phone_fields = ("phone",)

    def get_formset(self, request, obj=None, **kwargs):
        # Inline instances are made per request, so the user can be kept on this one.
        self._user = request.user
        if obj is not None and request.user.has_perm(UNMASK_PERMISSION):
            record_unmasked_view(
                request,
                model=ApplicationMember,
                count=obj.members.count(),
                where="登记申请·党员情况表",
                object_id=obj.pk,
            )
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("resident ID number"))
    def id_number_shown(self, member):
        return id_number_for_display(member.id_number, getattr(self, "_user", None))

    def has_view_permission(self, request, obj=None):
        # The rows are part of the application: whoever may see it (scoped by the selector)
        # sees its member form.
        return request.user.has_perm("registry.view_application") or super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AwaitingFilter(admin.SimpleListFilter):
    """Whose move it is (the workbench's to-do counts link here)."""

    title = _("waiting for")
    parameter_name = "awaiting"
    conditions = {"consent": AWAITING_CONSENT, "approval": AWAITING_APPROVAL}

    def lookups(self, request, model_admin):
        return [
            ("consent", _("the supervisory unit's consent")),
            ("approval", _("the registration authority's decision")),
        ]

    def queryset(self, request, queryset):
        condition = self.conditions.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


@admin.register(Application)
class ApplicationAdmin(MaskedPhonesAdmin, LargeTableAdmin, BaseAdmin):
    """Applications under review. Read-only: clerks never edit what the applicant filed; they
    decide through the review pages (registry.review_views), which call the services."""

    list_display = (
        "reference",
        "name",
        "organization_type",
        "supervisory_unit_shown",
        "status",
        "submitted_at",
        "submission_count",
        "applicant",
    )
    list_display_links = ("reference", "name")
    list_filter = (AwaitingFilter, "status", "supervisory_unit", "industry", "district")
    list_select_related = ("applicant", "supervisory_unit")
    search_fields = ("name", "legal_representative", "contact_person", "applicant__username")
    list_per_page = 50
    date_hierarchy = "submitted_at"
    inlines = (ApplicationMemberInline,)
    masked_phone_fields = ("contact_phone",)
    readonly_fields = ("reference",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "reference",
                    "status",
                    "applicant",
                    "submitted_at",
                    "decided_at",
                    "organization",
                )
            },
        ),
        (
            _("Basic information"),
            {"fields": BASIC_FIELDS},
        ),
        (_("Charter"), {"fields": ("charter_text",)}),
        (
            _("Party-building pledge"),
            {"fields": ("pledge_text", "pledge_signed_by", "pledge_signed_on")},
        ),
        (_("Member form"), {"fields": ("no_party_members",)}),
        (_("Review"), {"fields": ("supervisory_opinion", "remarks")}),
    )

    def get_queryset(self, request):
        # Scoping lives in the selector; drafts stay private to their applicant.
        return (
            applications_visible_to(request.user)
            .exclude(status=ApplicationStatus.DRAFT)
            .annotate(submission_count=_submission_count())
        )

    def get_search_results(self, request, queryset, search_term):
        # The reference printed on paper (DJ2018000012) finds its application.
        match = REFERENCE.match(search_term.strip().upper())
        if match:
            return queryset.filter(pk=int(match.group(1))), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("reference"), ordering="pk")
    def reference(self, application):
        return application.reference

    @admin.display(description=_("business supervisory unit"), ordering="supervisory_unit__name")
    def supervisory_unit_shown(self, application):
        return application.supervisory_unit or _("direct registration")

    @admin.display(description=_("submissions"), ordering="submission_count")
    def submission_count(self, application):
        return application.submission_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the change page is a view; decisions go through the review pages

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.review_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def review_context(self, request, application) -> dict:
        """The decision buttons, the events timeline and what changed since the last return."""
        moves = [
            {
                "status": status,
                "url": reverse(REVIEW_MOVES[status][0], args=[application.pk]),
                "label": REVIEW_MOVES[status][1],
            }
            for status in application_moves_for(application, request.user)
            if status in REVIEW_MOVES
        ]
        submissions = list(application.submissions.order_by("-number")[:2])
        diff = charter_lines = None
        if len(submissions) == 2:
            current, previous = submissions
            diff = submission_diff(previous.snapshot, current.snapshot)
            charter_lines = charter_diff(
                previous.snapshot.get("charter_text", ""), current.snapshot.get("charter_text", "")
            )
        return {
            "review_moves": moves,
            "events": application.events.select_related("actor"),
            "submissions": submissions,
            "submission_diff": diff,
            "charter_diff": charter_lines,
            "awaiting_consent": application.status == ApplicationStatus.SUBMITTED
            and application.needs_consent,
            "member_form_copy": member_form_copy_for(request.user),
        }


def member_form_copy_for(user) -> str:
    """R-REG-3: each recipient prints its own copy of the member form: the supervisory unit its
    业务主管单位联, the committee its 党工委联, the registration authority the 存档联."""
    from accounts import roles

    if user.has_role(roles.SUPERVISORY_UNIT):
        return CopyKind.SUPERVISORY_UNIT
    if user.has_role(roles.COMMITTEE):
        return CopyKind.COMMITTEE
    return CopyKind.ARCHIVE


class RegistrationTemplateForm(forms.ModelForm):
    class Meta:
        model = RegistrationTemplate
        fields = ("charter_template", "party_building_clause", "pledge_text")

    def clean(self):
        from .services.registration import charter_has_clause

        cleaned = super().clean()
        charter, clause = cleaned.get("charter_template"), cleaned.get("party_building_clause")
        if charter and clause and not charter_has_clause(charter, clause):
            # R-REG-1: every new charter starts from this template, so it must carry the clause.
            self.add_error(
                "charter_template",
                _("The charter template must contain the Party-building clause (R-REG-1)."),
            )
        return cleaned


@admin.register(RegistrationTemplate)
class RegistrationTemplateAdmin(BaseHistoryAdmin):
    """The bureau's charter template, its Party-building clause and the pledge (one row)."""

    form = RegistrationTemplateForm

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not RegistrationTemplate.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
