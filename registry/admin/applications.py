import re

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.admin import BaseAdmin
from core.identity import UNMASK_PERMISSION, id_number_for_display
from core.large_tables import LargeTableAdmin
from core.masking_admin import MaskedPhonesAdmin
from core.queries import correlated_count

from ..choices import ApplicationStatus, CopyKind
from ..id_number_audit import record_unmasked_view
from ..models import Application, ApplicationMember, ApplicationSubmission
from ..models.member import MEMBER_DETAIL_FIELDS
from ..selectors import (
    AWAITING_APPROVAL,
    AWAITING_CONSENT,
    application_moves_for,
    applications_visible_to,
    charter_diff,
    submission_diff,
)
from ..services.registration import BASIC_FIELDS

# --- Registration review (R-REG-1..5) ---------------------------------------------------------

# The buttons of the change page: the status a move leads to, its page, its label.
REVIEW_MOVES = {
    ApplicationStatus.CONSENTED: ("registry:application_consent", _("Consent")),
    ApplicationStatus.APPROVED: ("registry:application_approve", _("Approve")),
    ApplicationStatus.RETURNED: ("registry:application_return", _("Return for correction")),
    ApplicationStatus.REJECTED: ("registry:application_reject", _("Reject")),
}


REFERENCE = re.compile(r"^DJ\d{4}(\d{6,})$")


class ApplicationMemberInline(MaskedPhonesAdmin, admin.TabularInline):
    """The member form 《新建社会组织党员情况表》 as submitted: read-only, ID numbers masked
    unless the user holds the explicit permission (R-ID-2)."""

    model = ApplicationMember
    extra = 0
    can_delete = False
    # The ID number is shown through id_number_shown, masked unless permitted.
    fields = tuple(
        "id_number_shown" if field == "id_number" else field for field in MEMBER_DETAIL_FIELDS
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
                where=_("registration application · member form"),
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
            .annotate(
                submission_count=correlated_count(
                    ApplicationSubmission.objects.all(), "application"
                )
            )
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
