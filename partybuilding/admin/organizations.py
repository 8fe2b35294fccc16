"""The registry's organization admin with its Party building: the glance on its page and the
ledger export action."""

from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.masking_admin import MaskedPhonesAdmin
from registry.admin.organizations import OrganizationAdmin
from registry.models import Organization

from ..ledger.selectors import party_building_glance
from ..models import PartyOrganization


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
        from ..views import ledger_response

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
