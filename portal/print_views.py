"""Print-ready pages of an application, matching the paper forms a bureau files: the charter,
《社会组织党建工作承诺书》 and 《新建社会组织党员情况表》 in its three copies (R-REG-2, R-REG-3).

Only a login is required, not the applicant role: what a user may print is exactly what
registry.selectors.applications_visible_to lets them see, so clerks, supervisory units and the
committee reach these pages from the admin too. ID numbers are in full for the applicant (their
own form) and for holders of partybuilding.view_unmasked_id_number, masked for others (R-ID-2)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.identity import (
    UNMASK_PERMISSION,
    birth_date_for_display,
    birth_date_of,
    id_number_for_display,
)
from partybuilding.models import MemberFormCopy
from registry.choices import ApplicationStatus, CopyKind
from registry.id_number_audit import record_unmasked_view
from registry.models import ApplicationMember
from registry.selectors import applications_visible_to

# R-REG-3: the marking at the top right of each copy of the member form.
COPY_MARKINGS = {
    CopyKind.ARCHIVE: _("archive copy"),
    CopyKind.SUPERVISORY_UNIT: _("supervisory unit's copy"),
    CopyKind.COMMITTEE: _("Party working committee's copy"),
}
# The paper form has ruled rows to write in; the printout keeps at least this many.
MEMBER_FORM_MIN_ROWS = 8


def split_title(text: str, fallback: str) -> tuple[str, str]:
    """The first line of a template text is its title ("…章程", "社会组织党建工作承诺书"):
    return it apart from the body, so the page sets it as a heading."""
    lines = (text or "").strip().splitlines()
    if lines and len(lines[0].strip()) <= 60 and lines[0].strip().endswith(("章程", "承诺书")):
        return lines[0].strip(), "\n".join(lines[1:]).strip()
    return fallback, (text or "").strip()


class ApplicationPrintView(LoginRequiredMixin, TemplateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.application = get_object_or_404(
                applications_visible_to(request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        application = self.application
        context = super().get_context_data(**kwargs)
        context.update(
            application=application,
            is_draft=application.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED),
            # The day the form was filed, never the day it is printed: a draft leaves the line
            # blank for a pen.
            filled_on=timezone.localdate(application.submitted_at)
            if application.submitted_at
            else None,
        )
        return context


class CharterPrintView(ApplicationPrintView):
    template_name = "portal/print/charter.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        title, body = split_title(
            self.application.charter_text,
            _("Charter of %(name)s") % {"name": self.application.name},
        )
        context.update(title=title, body=body)
        return context


class PledgePrintView(ApplicationPrintView):
    template_name = "portal/print/pledge.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        title, body = split_title(
            self.application.pledge_text, _("Party-building pledge of the social organization")
        )
        context.update(title=title, body=body)
        return context


class MemberFormPrintView(ApplicationPrintView):
    template_name = "portal/print/member_form.html"

    def get_context_data(self, **kwargs):
        copy = self.kwargs["copy"]
        if copy not in COPY_MARKINGS:
            raise Http404("no such copy")
        application, user = self.application, self.request.user
        own = user.pk == application.applicant_id
        rows = []
        for number, member in enumerate(application.members.all(), start=1):
            rows.append(
                {
                    "number": number,
                    "member": member,
                    # Masked numbers come without their birth month (R-ID-2).
                    "birth": birth_date_of(member.id_number)
                    if own
                    else birth_date_for_display(birth_date_of(member.id_number), user),
                    "id_number": member.id_number
                    if own
                    else id_number_for_display(member.id_number, user),
                }
            )
        if rows and (own or user.has_perm(UNMASK_PERMISSION)):
            record_unmasked_view(
                self.request,
                model=ApplicationMember,
                count=len(rows),
                where=_("member form printout (%(copy)s)") % {"copy": COPY_MARKINGS[copy]},
                object_id=application.pk,
            )
        context = super().get_context_data(**kwargs)
        filed_on = (
            MemberFormCopy.objects.filter(application=application, kind=copy)
            .values_list("filed_on", flat=True)
            .first()
        )
        if filed_on:  # an approved application's copies carry the day they were filed
            context["filled_on"] = filed_on
        context.update(
            copy=copy,
            marking=COPY_MARKINGS[copy],
            rows=rows,
            # Unnumbered ruled rows below the filled ones (the first row holds "本组织暂无党员"
            # when there is no member).
            blank_rows=range(max(0, MEMBER_FORM_MIN_ROWS - max(len(rows), 1))),
        )
        return context
