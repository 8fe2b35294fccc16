"""An organization's change applications (R-CHG-1..7) in the portal: its own list, starting one,
following it (the timeline, the deadline to file after the unit's consent), filing it, and the
printed application form. Another organization's ids answer 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from registry.change_selectors import change_rows, changes_visible_to, filing_state
from registry.choices import ChangeKind, ChangeStatus
from registry.selectors import organizations_visible_to
from registry.services.changes import change_file, change_start, current_charter

from .print_views import split_title
from .views import OrganizationUserRequiredMixin


def own_changes(user):
    """The organization's own change applications, drafts included; never another's."""
    return changes_visible_to(user).filter(organization_id=user.organization_id)


class OwnChangeMixin:
    """Loads `self.change` from the user's own organization's applications (404 otherwise)."""

    require_editable = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.change = get_object_or_404(own_changes(request.user), pk=kwargs["pk"])
            if self.require_editable and not self.change.is_editable:
                messages.info(
                    request,
                    _(
                        "This application has been submitted and cannot be changed while it is "
                        "being reviewed."
                    ),
                )
                return redirect("portal:change", pk=self.change.pk)
        return super().dispatch(request, *args, **kwargs)


class ChangeListView(OrganizationUserRequiredMixin, ListView):
    template_name = "portal/change/list.html"
    context_object_name = "changes"

    def get_queryset(self):
        return own_changes(self.request.user).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(change, filing_state(change)) for change in context["changes"]]
        context["kinds"] = ChangeKind.choices
        return context


class ChangeStartView(OrganizationUserRequiredMixin, View):
    """POST only: a new draft of the kind asked for, or the one of that kind still open."""

    http_method_names = ["post"]

    def post(self, request):
        organization = get_object_or_404(
            organizations_visible_to(request.user), pk=request.user.organization_id
        )
        try:
            change = change_start(
                organization=organization, by=request.user, kind=request.POST.get("kind", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("portal:changes")
        return redirect("portal:change_edit", pk=change.pk)


class ChangeDetailView(OrganizationUserRequiredMixin, OwnChangeMixin, TemplateView):
    template_name = "portal/change/detail.html"

    def get_context_data(self, **kwargs):
        change = self.change
        context = super().get_context_data(**kwargs)
        approved = change.status == ChangeStatus.APPROVED
        context.update(
            change=change,
            events=change.events.all(),
            rows=change_rows(change, current=change.previous_values if approved else None),
            filing=filing_state(change),
            may_file=change.status == ChangeStatus.CONSENTED,
            show_remarks=bool(change.remarks)
            and change.status in (ChangeStatus.RETURNED, ChangeStatus.REJECTED),
        )
        return context


class ChangeFileView(OrganizationUserRequiredMixin, OwnChangeMixin, View):
    """POST only: the consented application filed with the registration authority."""

    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            version = int(request.POST["version"])
        except (KeyError, ValueError) as error:
            raise SuspiciousOperation("malformed version") from error
        try:
            change = change_file(change=self.change, by=request.user, expected_version=version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if change.filed_late:
                messages.warning(
                    request,
                    _(
                        "Filed. It is later than the deadline after your supervisory unit's "
                        "consent, so it is marked late; the registration authority reviews it."
                    ),
                )
            else:
                messages.success(request, _("Filed; the registration authority reviews it next."))
        return redirect("portal:change", pk=pk)


class ChangePrintView(LoginRequiredMixin, TemplateView):
    """The application form as the bureau files it (变更登记申请表 / 章程核准表): any user who
    may see the application (staff too, from the admin)."""

    template_name = "portal/print/change.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.change = get_object_or_404(changes_visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        change = self.change
        context = super().get_context_data(**kwargs)
        approved = change.status == ChangeStatus.APPROVED
        pledge_title, pledge_body = split_title(
            change.pledge_text, _("Party-building pledge of the social organization")
        )
        context.update(
            change=change,
            application=change,  # the print base names the reference of `application`
            is_draft=change.status in (ChangeStatus.DRAFT, ChangeStatus.RETURNED),
            rows=change_rows(change, current=change.previous_values if approved else None),
            filing=filing_state(change),
            filled_on=timezone.localdate(change.submitted_at) if change.submitted_at else None,
            pledge_title=pledge_title,
            pledge_body=pledge_body,
            charter_in_force=current_charter(change.organization) if change.is_charter else "",
        )
        return context
