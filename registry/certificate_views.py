"""Registration certificates on paper and on the public check page (R-CERT-1..5): the clerk
prints the original and the duplicate and reissues them; anyone who scans a certificate's QR
code sees whether it is the valid one."""

import io

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.numberformat import format as number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts.access import staff_page
from core import calendar
from core.calendar import long_date

from .certificate_selectors import (
    certificate_for_public,
    certificates_visible_to,
    current_certificates,
    may_issue_certificates,
)
from .choices import CertificateKind, CertificateReason, OrganizationStatus
from .selectors import organizations_visible_to
from .services import certificates as service

REISSUE_REASONS = (CertificateReason.EXPIRY, CertificateReason.LOST, CertificateReason.DAMAGED)


def qr_code_svg(url: str) -> str:
    """The QR code of `url` as inline SVG: drawn here, no image service (closed networks)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=3, border=2, xmldecl=False)
    return buffer.getvalue().decode()


@staff_page(may_issue_certificates)
@never_cache
def certificate_print(request, pk):
    """The certificate on A4, original across the sheet, duplicate upright, as the bureau's
    printed blanks are laid out; a withdrawn one marked void."""
    certificate = get_object_or_404(certificates_visible_to(request.user), pk=pk)
    public_url = request.build_absolute_uri(reverse("certificate_check", args=[certificate.token]))
    # The certificate is the bureau's Chinese document whatever the clerk's browser asks for.
    with translation.override(settings.LANGUAGE_CODE):
        texts = {
            "issued_text": long_date(certificate.issued_on),
            "valid_until_text": long_date(certificate.valid_until),
            "established_text": long_date(certificate.established_on),
            "capital_text": gettext("%(amount)s yuan")
            % {
                "amount": number_format(
                    certificate.registered_capital, ".", 2, 3, ",", force_grouping=True
                )
            }
            if certificate.registered_capital is not None
            else "",
        }
    return TemplateResponse(
        request,
        "registry/certificate/print.html",
        {
            "certificate": certificate,
            "is_original": certificate.kind == CertificateKind.ORIGINAL,
            "qr_code": mark_safe(qr_code_svg(public_url)),  # segno's own SVG, no user text
            "public_url": public_url,
            **texts,
        },
    )


class IssueForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"))
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a lost certificate: where and when the loss notice was published."),
    )
    # The valid certificates the page showed: a second submission of the same page is refused.
    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, first: bool, **kwargs):
        super().__init__(*args, **kwargs)
        reasons = (CertificateReason.REGISTRATION,) if first else REISSUE_REASONS
        self.fields["reason"].choices = [(r.value, r.label) for r in reasons]


@staff_page(may_issue_certificates)
@never_cache
def certificates_reissue(request, pk):
    """Issue the first certificates of an organization registered before this system kept
    them, or reissue them (expiry, loss, damage). Changes reissue them by themselves."""
    organization = get_object_or_404(organizations_visible_to(request.user), pk=pk)
    current = current_certificates(organization)
    first = not organization.certificates.exists()
    shown = ",".join(certificate.serial for certificate in current)
    form = IssueForm(request.POST or None, first=first, initial={"shown": shown})
    if organization.status != OrganizationStatus.ACTIVE:
        form = None
    elif request.method == "POST" and form.is_valid():
        expected = [s for s in form.cleaned_data["shown"].split(",") if s]
        try:
            issued = service.certificates_issue(
                organization=organization,
                by=request.user,
                reason=form.cleaned_data["reason"],
                remarks=form.cleaned_data["remarks"],
                expected_serials=expected,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                gettext("Certificates %(serials)s issued; print them from the list below.")
                % {"serials": "、".join(c.serial for c in issued)},
            )
            return redirect("admin:registry_organization_change", organization.pk)
    return TemplateResponse(
        request,
        "admin/registry/certificate/issue_form.html",
        {
            "title": gettext("Issue registration certificates")
            if first
            else gettext("Reissue registration certificates"),
            "organization": organization,
            "current": current,
            "form": form,
            "opts": organization._meta,
            "has_view_permission": True,
        },
    )


@never_cache
def certificate_check(request, token):
    """The public page a certificate's QR code leads to: no login, the certificate's own
    printed items and whether it is the valid one; nothing else of the organization."""
    certificate = certificate_for_public(token)
    if certificate is None:
        raise Http404
    return TemplateResponse(
        request,
        "registry/certificate/check.html",
        {"certificate": certificate, "expired": certificate.valid_until < calendar.today()},
    )
