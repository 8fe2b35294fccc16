"""The forms of the list entries' moves: the clerk's (review pages) and the organization's
(portal). Each carries the entry's version (core.concurrency)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedForm

from .choices import AnswerKind, Ground, RemovalPath


def _text(label, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows, "cols": 80}),
    )


class ProposeForm(forms.Form):
    """A clerk's own proposal: the organization by its credit code, the ground, the facts."""

    credit_code = forms.CharField(label=_("unified social credit code"), max_length=18)
    ground = forms.ChoiceField(label=_("ground"), choices=Ground.choices)
    facts = _text(_("facts"))

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = organizations

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        organization = self.organizations.filter(credit_code=code).first()
        if organization is None:
            raise forms.ValidationError(_("No organization has this credit code."))
        self.organization = organization
        return code


class ConfirmForm(VersionedForm):
    """R-CR-7: the decision tells the facts, the reasons, the basis and the rights."""

    decision_number = forms.CharField(label=_("decision number"), max_length=60)
    facts = _text(_("facts"))
    reasons = _text(_("reasons"), rows=3)
    basis = _text(_("basis of the decision"), rows=3)
    rights = _text(
        _("the organization's rights"),
        rows=3,
        help_text=_("Statement and defence, objection, reconsideration or a lawsuit."),
    )


class DismissForm(VersionedForm):
    NOT_RESPONSIBLE = "not_responsible"
    WHY = [
        (NOT_RESPONSIBLE, _("certified in writing as not directly responsible")),
        ("facts", _("the facts do not hold")),
        ("other", _("other reason")),
    ]
    why = forms.ChoiceField(label=_("why"), choices=WHY, widget=forms.RadioSelect)
    reason = _text(_("reason for not listing"))


class RemoveForm(VersionedForm):
    path = forms.ChoiceField(label=_("removed because"), choices=RemovalPath.choices)
    verified_on = forms.DateField(
        label=_("facts verified on"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_(
            "Required for a removal on application: the removal is due within the "
            "working days set from this day."
        ),
    )
    reason = _text(_("removal decision"))

    def __init__(self, *args, paths=None, **kwargs):
        super().__init__(*args, **kwargs)
        if paths is not None:
            labels = dict(RemovalPath.choices)
            self.fields["path"].choices = [(path, labels[path]) for path in paths]


class RefuseForm(VersionedForm):
    reason = _text(_("reason for refusing the removal"))


class ReplyForm(forms.Form):
    reply = _text(_("reply"))


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AnswerKind.choices)
    text = _text(_("what the organization says"), rows=6)


class RemovalRequestForm(VersionedForm):
    what_was_done = _text(
        _("what the organization has done"),
        rows=6,
        help_text=_("The obligation fulfilled or the rectification completed, with the dates."),
    )
