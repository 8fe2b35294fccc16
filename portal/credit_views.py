"""Credit listings in the portal (R-CR-7..9, R-CR-13): the organization's own decided entries
with the ground, the decision and the dates; its statement or objection; its removal request.
Another organization's ids answer 404; a proposal or a dismissal is never shown."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.generic import ListView, TemplateView

from credit import rules
from credit.choices import ON_LIST_STATUSES
from credit.choices import EntryStatus as S
from credit.evidence import evidence_lines
from credit.forms import AnswerForm, RemovalRequestForm
from credit.selectors import entry_answers, entry_moves_for, entry_timeline, own_entries
from credit.services import (
    entry_answer_submit,
    entry_removal_request,
    removal_request_problem,
)

from .views import OrganizationUserRequiredMixin


class CreditEntryListView(OrganizationUserRequiredMixin, ListView):
    template_name = "portal/credit/list.html"
    context_object_name = "entries"

    def get_queryset(self):
        return own_entries(self.request.user).order_by("-listed_on", "-pk")


class OwnEntryMixin:
    """Loads `self.entry` from the user's own decided entries (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.entry = get_object_or_404(own_entries(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class CreditEntryDetailView(OrganizationUserRequiredMixin, OwnEntryMixin, TemplateView):
    template_name = "portal/credit/detail.html"

    def get_context_data(self, answer_form=None, removal_form=None, **kwargs):
        entry = self.entry
        may_request = S.REMOVAL_REQUESTED in entry_moves_for(entry, self.request.user)
        return super().get_context_data(
            entry=entry,
            evidence=evidence_lines(entry.evidence),
            answers=entry_answers(entry),
            # The organization sees what happened and when, not which clerk did it.
            events=entry_timeline(entry).exclude(to_status=S.PROPOSED),
            expiry_date=rules.expiry_date(entry),
            serious_term_end=rules.serious_term_end(entry),
            may_answer=entry.status in ON_LIST_STATUSES,
            answer_form=answer_form or AnswerForm(),
            may_request=may_request,
            removal_problem=removal_request_problem(entry) if may_request else "",
            removal_form=removal_form or RemovalRequestForm(initial={"version": entry.version}),
            **kwargs,
        )


class CreditAnswerView(CreditEntryDetailView):
    """POST only: the organization's statement and defence, or objection (R-CR-7, R-CR-8)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                entry_answer_submit(
                    entry=self.entry,
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                )
            except PermissionDenied:
                raise
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request, gettext("Your answer is sent to the registration authority.")
                )
                return redirect("portal:credit_entry", pk=self.entry.pk)
        return self.render_to_response(self.get_context_data(answer_form=form))


class CreditRemovalRequestView(CreditEntryDetailView):
    """POST only: apply for removal, saying what the organization did (R-CR-9, R-CR-13 (a))."""

    http_method_names = ["post"]

    def post(self, request, pk):
        form = RemovalRequestForm(request.POST)
        if form.is_valid():
            try:
                entry_removal_request(
                    entry=self.entry,
                    by=request.user,
                    what_was_done=form.cleaned_data["what_was_done"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    gettext(
                        "Your removal request is sent: the registration authority verifies it "
                        "and decides."
                    ),
                )
                return redirect("portal:credit_entry", pk=self.entry.pk)
        return self.render_to_response(self.get_context_data(removal_form=form))
