from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import BaseAdmin, BaseHistoryAdmin
from core.admin_widgets import (
    AutocompleteSelectMultiple,
    ModelMultipleChoiceField,
    SafeAutocompleteAdminMixin,
)
from core.identity import (
    UNMASK_PERMISSION,
    can_see_id_numbers,
    mask_id_number,
    validate_id_number,
)
from core.large_tables import LargeTableAdmin, TrigramSearch
from core.masking_admin import MaskedPhonesAdmin
from registry.admin.organizations import OrganizationAdmin
from registry.credit_codes import credit_code_lookup
from registry.id_number_audit import record_unmasked_view
from registry.id_number_search import (
    id_number_search_allowed,
    id_number_search_refused_message,
)
from registry.models import Organization
from registry.selectors import organizations_visible_to

from . import services
from .models import (
    Coverage,
    Dispatch,
    IndustryLead,
    MemberFormCopy,
    PartyMember,
    PartyOrganization,
)
from .selectors import (
    member_form_copies_visible_to,
    overdue_cutoff,
    party_building_glance,
    party_members_visible_to,
    party_organizations_visible_to,
    with_overdue_flag,
)


class ActiveFilter(admin.SimpleListFilter):
    title = _("on the roll")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("active")), ("no", _("left"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(left_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(left_on__isnull=False)
        return queryset


@admin.register(PartyMember)
class PartyMemberAdmin(
    SafeAutocompleteAdminMixin,
    MaskedPhonesAdmin,
    LargeTableAdmin,
    TrigramSearch,
    BaseHistoryAdmin,
):
    list_display = (
        "name",
        "masked_id_number",
        "sex",
        "status",
        "organization",
        "role",
        "relationship",
        "party_organization",
        "left_on",
    )
    # The organization's page (its Party-building at a glance) links here for its own rows.
    linked_lookups = ("organization__id__exact",)
    list_select_related = ("organization", "party_organization")
    list_filter = (
        ActiveFilter,
        "status",
        "role",
        "relationship",
        "organization__industry",
        "organization__district",
    )
    # Credit codes and ID numbers are searched apart (get_search_results); `icontains` across
    # the organization join would scan three million rows for every search.
    search_fields = ("name",)
    short_word_lookup = "startswith"  # 张, 张伟: a surname or a whole two-character name
    autocomplete_fields = ("organization", "party_organization")
    readonly_fields = ("birth_date", "masked_id_number")
    masked_phone_fields = ("phone",)
    list_per_page = 50

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, member):
        return mask_id_number(member.id_number)

    @admin.display(description=_("resident ID number"))
    def full_id_number(self, member):
        return member.id_number  # not sortable: the column holds ciphertext

    def get_list_display(self, request):
        # R-ID-2: the full number only for holders of the explicit permission. Decided per
        # request: this admin object is shared by every request and thread.
        if request.user.has_perm(UNMASK_PERMISSION):
            return ["full_id_number" if f == "masked_id_number" else f for f in self.list_display]
        return self.list_display

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and request.user.has_perm(UNMASK_PERMISSION):
            record_unmasked_view(
                request, model=PartyMember, count=len(changelist.result_list), where="党员列表"
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = getattr(response, "context_data", {}).get("original") is not None
        if shown and request.user.has_perm(UNMASK_PERMISSION):  # get_fields() shows it whole
            record_unmasked_view(
                request, model=PartyMember, count=1, where="党员详情", object_id=object_id
            )
        return response

    def get_queryset(self, request):
        return party_members_visible_to(request.user).select_related(
            "organization", "party_organization"
        )

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "masked_id_number"]
        if obj is not None and not can_see_id_numbers(request.user):
            # The stored number is never sent to the browser of someone who may not see it,
            # nor the birth date, which is digits 7-14 of it (R-ID-2).
            fields = [
                "masked_id_number" if f == "id_number" else f for f in fields if f != "birth_date"
            ]
        return fields

    def get_search_results(self, request, queryset, search_term):
        # A full ID number finds its member (exact match only: no guessing by fragments).
        term = search_term.strip().upper()
        if _is_id_number(term):
            # R-ID-2: each such search is audited, and counted against the hourly limit.
            if not id_number_search_allowed(
                user=request.user, number=term, where="党员列表·按身份证号查询", request=request
            ):
                messages.error(request, id_number_search_refused_message())
                return queryset.none(), False
            return queryset.with_id_number(term), False
        # A credit code (or its start) finds the members of its organizations, on its index.
        lookup = credit_code_lookup(search_term, field="organization__credit_code")
        if lookup is not None:
            return queryset.filter(lookup), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)


def _is_id_number(term: str) -> bool:
    # Credit codes can be 17 digits and a check character too; the ID check digit tells them apart.
    try:
        validate_id_number(term)
    except ValidationError:
        return False
    return True


class PartyOrganizationFoundingForm(forms.ModelForm):
    """Founding asks which organizations it covers; the service enforces R-PB-8..11."""

    covered_organizations = ModelMultipleChoiceField(
        queryset=Organization.objects.all(),
        label=_("social organizations covered"),
        widget=AutocompleteSelectMultiple(
            PartyOrganization._meta.get_field("organizations"), admin.site
        ),
    )

    class Meta:
        model = PartyOrganization
        fields = (
            "name",
            "kind",
            "formation_mode",
            "founded_on",
            "secretary",
            "parent_body",
            "e_branch_joined_on",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("formation_mode") and cleaned.get("covered_organizations") is not None:
            try:
                services.party_organization_check_founding(
                    formation_mode=cleaned["formation_mode"],
                    organizations=list(cleaned["covered_organizations"]),
                )
            except ValidationError as error:
                self.add_error("covered_organizations", error)
        return cleaned


class CoverageInline(SafeAutocompleteAdminMixin, admin.TabularInline):
    model = Coverage
    extra = 0
    autocomplete_fields = ("organization",)
    verbose_name_plural = _("social organizations covered")


def _count_of(related):
    counted = (
        related.filter(party_organization=OuterRef("pk"))
        .order_by()
        .values("party_organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(SafeAutocompleteAdminMixin, LargeTableAdmin, BaseHistoryAdmin):
    list_display = (
        "name",
        "kind",
        "formation_mode",
        "founded_on",
        "dissolved_on",
        "organization_count",
        "member_count",
        "e_branch_joined_on",
    )
    list_filter = ("formation_mode", "kind", ("dissolved_on", admin.EmptyFieldListFilter))
    search_fields = ("name", "secretary", "organizations__name")
    autocomplete_fields = ("parent_body",)
    date_hierarchy = "founded_on"

    def get_queryset(self, request):
        # Correlated counts rather than joins and GROUP BY: only the rows of the page are
        # counted, and the change list's own count stays a plain one.
        return party_organizations_visible_to(request.user).annotate(
            organization_count=_count_of(Coverage.objects.all()),
            member_count=_count_of(PartyMember.objects.filter(left_on__isnull=True)),
        )

    @admin.display(description=_("organizations"), ordering="organization_count")
    def organization_count(self, party_organization):
        return party_organization.organization_count

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, party_organization):
        return party_organization.member_count

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = PartyOrganizationFoundingForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is None and "covered_organizations" not in fields:
            fields.insert(3, "covered_organizations")
        return fields

    def get_inlines(self, request, obj):
        return (CoverageInline,) if obj is not None else ()

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        # Founding goes through the service so its signal ends open dispatches (R-PB-11).
        data = form.cleaned_data
        return services.party_organization_found(
            name=data["name"],
            kind=data["kind"],
            formation_mode=data["formation_mode"],
            organizations=list(data["covered_organizations"]),
            founded_on=data["founded_on"],
            by=request.user,
            secretary=data.get("secretary", ""),
            parent_body=data.get("parent_body"),
            e_branch_joined_on=data.get("e_branch_joined_on"),
        )

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            obj.save()

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        self._warn(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._warn(request, obj)
        return super().response_change(request, obj)

    def _warn(self, request, party_organization):
        for warning in services.party_organization_warnings(party_organization=party_organization):
            messages.warning(request, warning)


class DispatchForm(forms.ModelForm):
    class Meta:
        model = Dispatch
        fields = (
            "organization",
            "dispatched_branch",
            "instructor_name",
            "instructor_unit",
            "instructor_phone",
            "started_on",
            "ended_on",
            "end_reason",
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and cleaned.get("organization"):
            try:
                services.dispatch_check_start(organization=cleaned["organization"])
            except ValidationError as error:
                self.add_error("organization", error)
        return cleaned


@admin.register(Dispatch)
class DispatchAdmin(
    SafeAutocompleteAdminMixin, MaskedPhonesAdmin, LargeTableAdmin, BaseHistoryAdmin
):
    form = DispatchForm
    masked_phone_fields = ("instructor_phone",)
    list_display = (
        "organization",
        "instructor_name",
        "instructor_unit",
        "dispatched_branch",
        "started_on",
        "ended_on",
        "end_reason",
    )
    # The organization's page (its Party-building at a glance) links here for its own rows.
    linked_lookups = ("organization__id__exact",)
    list_select_related = ("organization",)
    list_filter = (
        ("ended_on", admin.EmptyFieldListFilter),
        "organization__industry",
        "organization__district",
    )
    search_fields = ("organization__name", "instructor_name", "dispatched_branch")
    autocomplete_fields = ("organization",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(organization__in=organizations_visible_to(request.user).values("pk"))
        )

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.dispatch_start(
                organization=obj.organization,
                dispatched_branch=obj.dispatched_branch,
                instructor_name=obj.instructor_name,
                instructor_unit=obj.instructor_unit,
                instructor_phone=obj.instructor_phone,
                started_on=obj.started_on,
                by=request.user,
            )
            obj.pk = created.pk
            return
        obj._history_user = request.user
        obj.save()


@admin.register(IndustryLead)
class IndustryLeadAdmin(SafeAutocompleteAdminMixin, BaseHistoryAdmin):
    list_display = ("industry", "lead_organization", "driven_count", "designated_on")
    list_select_related = ("industry", "lead_organization")
    autocomplete_fields = ("lead_organization", "driven_organizations")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(driven_count=Count("driven_organizations"))

    @admin.display(description=_("organizations driven"), ordering="driven_count")
    def driven_count(self, lead):
        return lead.driven_count


class OrganizationWithPartyBuildingAdmin(MaskedPhonesAdmin, OrganizationAdmin):
    """The registry's organization admin plus the Party-building actions (the higher app
    extends the lower one; the registry never imports this app), and the contact phone masked
    for roles without registry.view_contact_phone (issue 8)."""

    masked_phone_fields = ("contact_phone",)

    actions = [*(OrganizationAdmin.actions or []), "export_party_building_ledger"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # Its Party-building first: what the clerk opens an organization to check.
        return ((_("Party building at a glance"), {"fields": ("party_building_glance",)}),) + tuple(
            fieldsets
        )

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + ("party_building_glance",) if obj is not None else fields

    def _party_organization_url(self, obj, name):
        """Its Party organization's page, or the list of Party organizations to add one."""
        found = (
            PartyOrganization.objects.filter(organizations=obj, name=name).values_list("pk")[:1]
            if name
            else []
        )
        if found:
            return reverse("admin:partybuilding_partyorganization_change", args=[found[0][0]])
        return reverse("admin:partybuilding_partyorganization_changelist")

    @admin.display(description=_("Party building"))
    def party_building_glance(self, obj):
        glance = party_building_glance(obj.pk)
        if glance is None:
            return ""

        def listed(url_name, lookup):
            return f"{reverse(url_name)}?{lookup}={obj.pk}"

        counted = glance["counted_members"] or 0
        ledger_row = f"{reverse('partybuilding:ledger')}?q={obj.credit_code}&status=all"
        rows = [
            (
                _("Party members"),
                _("%(full)s full, %(probationary)s probationary (%(counted)s counted)")
                % {
                    "full": glance["full_members"] or 0,
                    "probationary": glance["probationary_members"] or 0,
                    "counted": counted,
                },
                listed("admin:partybuilding_partymember_changelist", "organization__id__exact"),
            ),
            (
                _("Party organization"),
                " · ".join(
                    part
                    for part in (
                        glance["party_organization_name"],
                        glance["party_organization_mode_label"],
                    )
                    if part
                )
                or _("none"),
                self._party_organization_url(obj, glance["party_organization_name"]),
            ),
            (
                _("Party-building status"),
                " · ".join(
                    part
                    for part in (glance["party_building_status_label"], glance["warning"])
                    if part
                ),
                ledger_row,
            ),
        ]
        if glance["instructor_name"]:
            rows.append(
                (
                    _("Party-building instructor"),
                    glance["instructor_name"],
                    listed("admin:partybuilding_dispatch_changelist", "organization__id__exact"),
                )
            )
        # The lists behind the columns other apps add (named by URL: no import upwards).
        extension_lists = {
            "latest_annual_check": "admin:annualcheck_annualcheck_changelist",
            "evaluation_grade": "admin:evaluation_evaluation_changelist",
        }
        for field, header, text in glance["extensions"]:
            url_name = extension_lists.get(field)
            url = listed(url_name, "organization__id__exact") if url_name else ledger_row
            rows.append((header, text or _("none yet"), url))
        return format_html(
            '<table class="party-building-glance" id="party-building-glance">'
            "<tbody>{}</tbody></table>",
            format_html_join(
                "",
                '<tr><th scope="row">{}</th><td>{}</td><td><a href="{}">{}</a></td></tr>',
                ((label, text, url, _("open the list")) for label, text, url in rows),
            ),
        )

    @admin.action(
        description=_("Export the Party-building ledger of the selected organizations"),
        permissions=["view"],
    )
    def export_party_building_ledger(self, request, queryset):
        from .views import ledger_response

        # A selection is a list of rows, not filters a background job could redo: past the
        # threshold the ledger page's download (filters, a background job) is the way.
        threshold = settings.EXPORTS["BACKGROUND_THRESHOLD_ROWS"]
        if queryset.order_by().values("pk")[: threshold + 1].count() > threshold:
            self.message_user(
                request,
                _(
                    "More than %(threshold)s organizations are selected. Download the ledger "
                    "from the Party-building ledger page instead: filtered there, a large "
                    "ledger is prepared in the background."
                )
                % {"threshold": f"{threshold:,}"},
                messages.ERROR,
            )
            return redirect("partybuilding:ledger")
        return ledger_response(
            Organization.objects.filter(pk__in=queryset.values("pk")), request=request
        )


admin.site.unregister(Organization)
admin.site.register(Organization, OrganizationWithPartyBuildingAdmin)


# --- Member-form copies (R-REG-3) -------------------------------------------------------------


class AcknowledgementFilter(admin.SimpleListFilter):
    title = _("acknowledgement")
    parameter_name = "acknowledgement"

    def lookups(self, request, model_admin):
        return [
            ("unacknowledged", _("not acknowledged")),
            ("overdue", _("overdue")),
            ("acknowledged", _("acknowledged")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "unacknowledged":
            return queryset.filter(acknowledged_at__isnull=True)
        if self.value() == "overdue":
            return queryset.filter(acknowledged_at__isnull=True, filed_on__lte=overdue_cutoff())
        if self.value() == "acknowledged":
            return queryset.filter(acknowledged_at__isnull=False)
        return queryset


def _print_url(copy) -> str | None:
    # The printable form belongs to the portal; until it exists the link is simply left out.
    try:
        return reverse("portal:print_member_form", args=[copy.application_id, copy.kind])
    except NoReverseMatch:
        return None


@admin.register(MemberFormCopy)
class MemberFormCopyAdmin(LargeTableAdmin, BaseAdmin):
    """Each recipient's copies of new organizations' member forms, and the clerk's overview.
    Read-only; the one write is acknowledging, through the service (R-REG-3)."""

    list_display = (
        "organization",
        "kind",
        "recipient",
        "filed_on",
        "acknowledged_at",
        "acknowledged_by",
        "overdue_flag",
        "links",
    )
    list_filter = (AcknowledgementFilter, "kind")
    list_select_related = ("organization", "supervisory_unit", "party_building_body")
    search_fields = ("organization__name",)  # credit codes: get_search_results
    actions = ["acknowledge_selected"]
    fields = (
        "organization",
        "application",
        "kind",
        "recipient",
        "filed_on",
        "acknowledged_at",
        "acknowledged_by",
        "overdue_flag",
        "note",
        "links",
    )
    readonly_fields = fields
    date_hierarchy = "filed_on"

    def get_queryset(self, request):
        return with_overdue_flag(member_form_copies_visible_to(request.user))

    def get_search_results(self, request, queryset, search_term):
        lookup = credit_code_lookup(search_term, field="organization__credit_code")
        if lookup is not None:
            return queryset.filter(lookup), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("recipient"))
    def recipient(self, copy):
        from registry.choices import CopyKind

        if copy.kind == CopyKind.SUPERVISORY_UNIT:
            return copy.supervisory_unit
        if copy.kind == CopyKind.COMMITTEE:
            return copy.party_building_body or _("Party working committee")
        return _("registration authority (archive)")

    @admin.display(description=_("overdue"), ordering="-is_overdue")
    def overdue_flag(self, copy):
        if getattr(copy, "is_overdue", False):
            label = _("overdue, not acknowledged")
            return format_html('<span class="overdue-flag">{}</span>', label)
        return ""

    @admin.display(description=_("links"))
    def links(self, copy):
        links = []  # (url, target, label)
        url = _print_url(copy)
        if url:
            links.append((url, "_blank", _("print")))
        application_url = reverse("admin:registry_application_change", args=[copy.application_id])
        links.append((application_url, "_self", _("application")))
        return format_html_join(" · ", '<a href="{}" target="{}">{}</a>', links)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # read-only; acknowledging is the action below

    def has_delete_permission(self, request, obj=None):
        return False

    def has_acknowledge_permission(self, request):
        return request.user.has_perm("partybuilding.change_memberformcopy")

    @admin.action(description=_("Acknowledge the selected copies"), permissions=["acknowledge"])
    def acknowledge_selected(self, request, queryset):
        acknowledged, already, not_addressed = 0, 0, []
        for copy in queryset:
            if not services.member_form_copy_is_addressed_to(copy=copy, user=request.user):
                not_addressed.append(copy)
                continue
            if copy.acknowledged_at:
                already += 1
                continue
            try:
                services.member_form_copy_acknowledge(copy=copy, by=request.user)
            except PermissionDenied:
                not_addressed.append(copy)
            else:
                acknowledged += 1
        if acknowledged:
            messages.success(
                request,
                ngettext(
                    "%(count)d copy acknowledged.", "%(count)d copies acknowledged.", acknowledged
                )
                % {"count": acknowledged},
            )
        if already:
            messages.info(
                request,
                ngettext(
                    "%(count)d copy was already acknowledged.",
                    "%(count)d copies were already acknowledged.",
                    already,
                )
                % {"count": already},
            )
        if not_addressed:
            messages.warning(
                request,
                _("Not addressed to you, so not acknowledged: %(copies)s")
                % {"copies": "、".join(str(copy) for copy in not_addressed)},
            )
