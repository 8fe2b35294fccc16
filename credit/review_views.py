"""The list entries' review pages beside the admin (core.review): the clerk confirms a proposal
with the decision (R-CR-7) or dismisses it (R-CR-5), removes an entry (R-CR-8..13) or refuses a
removal request, and replies to the organization's answers. Each page shows the evidence, the
organization's answers and the events; each POST goes through credit.services."""

import functools

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from accounts.access import is_clerk, staff_page
from core import calendar
from core import review as core_review
from registry.selectors import organizations_visible_to

from . import rules, services
from .choices import EntryStatus as S
from .evidence import evidence_lines
from .forms import ConfirmForm, DismissForm, ProposeForm, RefuseForm, RemoveForm, ReplyForm
from .models import ListEntry
from .selectors import (
    answers_visible_to,
    entries_visible_to,
    entry_answers,
    entry_moves_for,
    entry_timeline,
)
from .workflow import CLERK, entry_acts_as

TEMPLATE = "admin/credit/listentry/review_form.html"


def entry_context(entry) -> dict:
    """What every page of an entry shows: the evidence in words, the organization's answers,
    the events, the dates the rules set."""
    return {
        "entry": entry,
        "evidence": evidence_lines(entry.evidence),
        "answers": entry_answers(entry),
        "events": entry_timeline(entry),
        "expiry_date": rules.expiry_date(entry),
        "removal_due_on": rules.removal_due_on(entry),
        "serious_term_end": rules.serious_term_end(entry),
    }


def moved_on_message(entry) -> str:
    return core_review.moved_on_message(
        entry,
        entry.events.all(),
        gettext(
            "This listing was dealt with by %(who)s at %(when)s and is now “%(status)s”: this "
            "step is not possible now."
        ),
    )


def _page(request, pk, *, to, form_class, title, act, field, initial=None):
    entry = get_object_or_404(entries_visible_to(request.user), pk=pk)
    if not entry_acts_as(request.user, CLERK, entry):
        raise PermissionDenied
    return core_review.review_page(
        request,
        entry,
        move=to,
        moves_for=entry_moves_for,
        moved_on=moved_on_message,
        change_url=reverse("admin:credit_listentry_change", args=[entry.pk]),
        form_class=form_class,
        act=act,
        template=TEMPLATE,
        context={"title": title},
        field=field,
        initial=initial,
        extra_context=entry_context,
    )


RIGHTS = _(
    "The organization may state its case and defend itself, or object, to the registration "
    "authority; it may also apply for administrative reconsideration or bring an administrative "
    "lawsuit according to law."
)


@staff_page(is_clerk)
def confirm(request, pk):
    """R-CR-7: list the organization, with the decision's number and text."""

    def initial(entry):
        return {
            "facts": "\n".join(line["text"] for line in evidence_lines(entry.evidence)),
            "reasons": entry.get_ground_display(),
            "rights": str(RIGHTS),
        }

    def act(entry, form):
        data = form.cleaned_data
        services.entry_confirm(
            entry=entry,
            by=request.user,
            decision_number=data["decision_number"],
            facts=data["facts"],
            reasons=data["reasons"],
            basis=data["basis"],
            rights=data["rights"],
            expected_version=data["version"],
        )
        return gettext("Listed. The organization is told of the decision.")

    return _page(
        request,
        pk,
        to=S.LISTED,
        form_class=ConfirmForm,
        title=_("List the organization"),
        act=act,
        field="facts",
        initial=initial,
    )


@staff_page(is_clerk)
def dismiss(request, pk):
    """Do not list (R-CR-5 among the reasons): the proposal stays, dismissed."""

    def act(entry, form):
        why = dict(DismissForm.WHY)[form.cleaned_data["why"]]
        services.entry_dismiss(
            entry=entry,
            by=request.user,
            reason=why + pgettext("label separator", ": ") + form.cleaned_data["reason"].strip(),
            expected_version=form.cleaned_data["version"],
        )
        return gettext("Not listed. The proposal is closed with the reason.")

    return _page(
        request,
        pk,
        to=S.DISMISSED,
        form_class=DismissForm,
        title=_("Do not list"),
        act=act,
        field="reason",
    )


@staff_page(is_clerk)
def remove(request, pk):
    """Remove the entry (移出): on application after verification, at the term's end, in error,
    after the serious term or the deregistration."""
    entry = get_object_or_404(entries_visible_to(request.user), pk=pk)

    def act(entry, form):
        services.entry_remove(
            entry=entry,
            by=request.user,
            path=form.cleaned_data["path"],
            reason=form.cleaned_data["reason"],
            verified_on=form.cleaned_data["verified_on"],
            expected_version=form.cleaned_data["version"],
        )
        return gettext("Removed from the list. The organization is told of the decision.")

    return _page(
        request,
        pk,
        to=S.REMOVED,
        form_class=functools.partial(RemoveForm, paths=services.removal_paths(entry)),
        title=_("Remove from the list"),
        act=act,
        field="reason",
        initial=lambda entry: {"verified_on": calendar.today()},
    )


@staff_page(is_clerk)
def refuse(request, pk):
    """Refuse the organization's removal request: the entry stays listed."""

    def act(entry, form):
        services.entry_removal_refuse(
            entry=entry,
            by=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
        return gettext("The removal request is refused; the organization stays listed.")

    return _page(
        request,
        pk,
        to=S.LISTED,
        form_class=RefuseForm,
        title=_("Refuse the removal request"),
        act=act,
        field="reason",
    )


@staff_page(is_clerk)
def reply(request, pk):
    """The clerk's reply to the organization's statement or objection (`pk`: the answer)."""
    answer = get_object_or_404(answers_visible_to(request.user), pk=pk)
    entry = answer.entry
    if not entry_acts_as(request.user, CLERK, entry):
        raise PermissionDenied
    change_url = reverse("admin:credit_listentry_change", args=[entry.pk])
    form = ReplyForm(request.POST or None, initial={"reply": answer.reply})
    if request.method == "POST" and form.is_valid():
        services.entry_answer_reply(
            answer=answer, by=request.user, reply=form.cleaned_data["reply"]
        )
        messages.success(request, gettext("The reply is saved."))
        return redirect(change_url)
    return render(
        request,
        TEMPLATE,
        {
            **admin.site.each_context(request),
            **entry_context(entry),
            "opts": entry._meta,
            "form": form,
            "change_url": change_url,
            "title": gettext("Reply to the organization"),
            "answer": answer,
        },
    )


@staff_page(is_clerk)
def propose(request):
    """A clerk's own proposal, for a ground the daily job cannot see in the data."""
    form = ProposeForm(request.POST or None, organizations=organizations_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_propose(
                organization=form.organization,
                ground=form.cleaned_data["ground"],
                facts=form.cleaned_data["facts"],
                by=request.user,
            )
        except ValidationError as error:
            core_review.service_error_add(form, error, "facts")
        else:
            messages.success(request, gettext("Proposed: decide it on its page."))
            return redirect(reverse("admin:credit_listentry_change", args=[entry.pk]))
    return render(
        request,
        "admin/credit/listentry/propose.html",
        {
            **admin.site.each_context(request),
            "opts": ListEntry._meta,
            "form": form,
            "change_url": reverse("admin:credit_listentry_changelist"),
            "title": gettext("Propose a listing"),
        },
    )
