"""Registration certificates in the admin (R-CERT-1..5): a read-only list scoped like the
organizations, the print links for the clerks who issue, and the panel on an organization's
page. Issuing and withdrawing go through registry.services.certificates only."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import BaseAdmin
from core.large_tables import LargeTableAdmin

from ..certificate_selectors import certificates_visible_to, may_issue_certificates
from ..choices import CertificateStatus, OrganizationStatus
from ..models import Certificate, CertificateEvent


class CertificateEventInline(admin.TabularInline):
    model = CertificateEvent
    fields = ("at", "action", "reason", "by", "remarks")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(LargeTableAdmin, BaseAdmin):
    list_display = (
        "serial",
        "name",
        "kind",
        "status",
        "issue_reason",
        "issued_on",
        "valid_until",
        "withdrawn_on",
    )
    list_filter = ("kind", "status", "issue_reason", "withdrawal_reason")
    # A number or a code as printed, or the start of the name: each served by an index, at a
    # province's two million certificates.
    search_fields = ("=serial", "=credit_code", "^name")
    list_select_related = ("organization",)
    list_per_page = 50
    inlines = (CertificateEventInline,)
    exclude = ("organization", "replaced_by", "issued_by", "withdrawn_by")
    readonly_fields = (
        "organization_link",
        "kind",
        "serial",
        "status",
        "issue_reason",
        "issued_on",
        "valid_until",
        "authority_name",
        "name",
        "credit_code",
        "organization_type",
        "address",
        "legal_representative",
        "business_scope",
        "registered_capital",
        "supervisory_unit_name",
        "established_on",
        "withdrawn_on",
        "withdrawal_reason",
        "replaced_by_link",
    )

    def get_queryset(self, request):
        return certificates_visible_to(request.user)

    # Nobody edits a certificate: it records what was printed. Issues and withdrawals are
    # moves of the services (the issue page, the deregistration).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("social organization"))
    def organization_link(self, certificate):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:registry_organization_change", args=[certificate.organization_id]),
            certificate.organization.name,
        )

    @admin.display(description=_("replaced by"))
    def replaced_by_link(self, certificate):
        if certificate.replaced_by is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:registry_certificate_change", args=[certificate.replaced_by_id]),
            certificate.replaced_by.serial,
        )

    # The print column and field only for the clerks who issue (the print page checks it too).
    def get_list_display(self, request):
        issuer = may_issue_certificates(request.user)
        return (*self.list_display, "print_link") if issuer else self.list_display

    def get_readonly_fields(self, request, obj=None):
        issuer = may_issue_certificates(request.user)
        return (*self.readonly_fields, "print_link") if issuer else self.readonly_fields

    @admin.display(description=_("print"))
    def print_link(self, certificate):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("registry:certificate_print", args=[certificate.pk]),
            gettext("print"),
        )


def certificates_panel(organization, user):
    """The organization page's certificate panel: the valid pair with print links, and the
    issue or reissue link for the clerks who may."""
    if organization is None or organization.pk is None:
        return "—"
    current = [
        certificate
        for certificate in organization.certificates.all()
        if certificate.status == CertificateStatus.VALID
    ]
    issuer = may_issue_certificates(user)
    rows = format_html_join(
        "",
        '<li><a href="{}">{} {}</a> ({} – {}){}</li>',
        (
            (
                reverse("admin:registry_certificate_change", args=[certificate.pk]),
                certificate.get_kind_display(),
                certificate.serial,
                certificate.issued_on.isoformat(),
                certificate.valid_until.isoformat(),
                format_html(
                    ' <a href="{}" target="_blank" rel="noopener">{}</a>',
                    reverse("registry:certificate_print", args=[certificate.pk]),
                    gettext("print"),
                )
                if issuer
                else "",
            )
            for certificate in sorted(current, key=lambda c: c.kind != "original")
        ),
    )
    link = ""
    if issuer and organization.status == OrganizationStatus.ACTIVE:
        link = format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("registry:certificates_issue", args=[organization.pk]),
            gettext("Reissue certificates") if current else gettext("Issue certificates"),
        )
    if not current:
        return format_html("{} {}", gettext("No valid certificate."), link)
    return format_html('<ul class="certificate-panel">{}</ul>{}', rows, link)
