"""The review pages of change applications (R-CHG-1..7) beside the admin: the supervisory unit
consents, returns or refuses; the clerk approves, returns or refuses. Each is a small form
through core.review.review_page, its move made by the services in registry.services.changes."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import can_review, staff_page
from core import review
from core.concurrency import VersionedForm

from .change_selectors import change_moves_for, change_rows, changes_visible_to, filing_state
from .change_workflow import CLERK, SUPERVISOR, change_acts_as
from .choices import ChangeStatus as S
from .models import PartyBuildingBody
from .services import changes as services


class ApproveChangeForm(VersionedForm):
    party_building_body = forms.ModelChoiceField(
        label=_("Party-building body after the change"),
        queryset=PartyBuildingBody.objects.all(),
        help_text=_(
            "Where the organization's Party work reports after the change. A change of "
            "supervisory unit, district or industry may move it; the Party working committee "
            "receives a copy of such a change to acknowledge."
        ),
        error_messages={"required": _("Choose the Party-building body after the change.")},
    )


class TextForm(VersionedForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))

    label = ""
    required_message = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = self.label
        self.fields["text"].error_messages["required"] = self.required_message


class ConsentForm(TextForm):
    label = _("supervisory unit's opinion")
    required_message = _("Give the business supervisory unit's opinion.")


class ReturnForm(TextForm):
    label = _("what the organization must correct")
    required_message = _("Say what to correct when returning the application.")


class RejectForm(TextForm):
    label = _("reason for refusing")
    required_message = _("Give the reason for refusing.")


def moved_on_message(change) -> str:
    return review.moved_on_message(
        change,
        change.events.all(),
        gettext(
            "This application was dealt with by %(who)s at %(when)s and is now “%(status)s”: "
            "this step is not possible now."
        ),
    )


def _review(request, pk, *, to, actors, form_class, title, act, field=None, initial=None):
    change = get_object_or_404(changes_visible_to(request.user).exclude(status=S.DRAFT), pk=pk)
    if not any(change_acts_as(request.user, actor, change) for actor in actors):
        raise PermissionDenied
    return review.review_page(
        request,
        change,
        move=to,
        moves_for=change_moves_for,
        moved_on=moved_on_message,
        change_url=reverse("admin:registry_changeapplication_change", args=[change.pk]),
        form_class=form_class,
        act=lambda change, form: act(change, form.cleaned_data),
        template="admin/registry/changeapplication/review_form.html",
        context={"title": title, "change": change},
        field=field,
        initial=initial,
        extra_context=lambda change: {
            "rows": change_rows(change),
            "filing": filing_state(change),
        },
    )


@staff_page(can_review)
def change_approve(request, pk):
    def act(change, data):
        services.change_approve(
            change=change,
            by=request.user,
            party_building_body=data["party_building_body"],
            expected_version=data["version"],
        )
        return str(_("Approved; the organization's record now shows the change."))

    return _review(
        request,
        pk,
        to=S.APPROVED,
        actors=(CLERK,),
        form_class=ApproveChangeForm,
        title=_("Approve the change"),
        act=act,
        field={},  # the service's errors are about the record, not the body chosen
        initial=lambda change: {"party_building_body": change.organization.party_building_body},
    )


def _text_page(service, argument, *, to, actors, form_class, title, done):
    @staff_page(can_review)
    def view(request, pk):
        def act(change, data):
            service(
                change=change,
                by=request.user,
                expected_version=data["version"],
                **{argument: data["text"]},
            )
            return str(done)

        return _review(
            request,
            pk,
            to=to,
            actors=actors,
            form_class=form_class,
            title=title,
            act=act,
            field="text",
        )

    return view


change_consent = _text_page(
    services.change_consent,
    "opinion",
    to=S.CONSENTED,
    actors=(SUPERVISOR,),
    form_class=ConsentForm,
    title=_("Consent as the supervisory unit"),
    done=_(
        "Your consent is recorded; the organization files the application with the "
        "registration authority next."
    ),
)
change_return = _text_page(
    services.change_return,
    "remarks",
    to=S.RETURNED,
    actors=(CLERK, SUPERVISOR),
    form_class=ReturnForm,
    title=_("Return for correction"),
    done=_("Returned to the organization for correction."),
)
change_reject = _text_page(
    services.change_reject,
    "reason",
    to=S.REJECTED,
    actors=(CLERK, SUPERVISOR),
    form_class=RejectForm,
    title=_("Refuse the change"),
    done=_("The change has been refused."),
)
