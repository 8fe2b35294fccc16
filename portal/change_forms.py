"""The forms of the change wizard (R-CHG-1..5), one class per step: which registered items
change and why, their new values, the new legal representative's pledge, or the amended
charter; then the confirmation. The forms check what was typed; the services check the whole."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.models import ChangeApplication, Street
from registry.models.change import CHANGE_ITEMS, ITEM_LABELS
from registry.services.registration import charter_has_clause, charter_placeholders

from .forms import MAX_CHARTER_LENGTH, PledgeForm, StreetSelect
from .wizard_forms import ConfirmationForm, wizard_helper


class ItemsForm(forms.Form):
    """Step 1: the registered items that change (《变更登记申请表》's 变更事项) and why."""

    items = forms.MultipleChoiceField(
        label=_("items changed"),
        choices=[(key, label) for key, label in ITEM_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one registered item that changes.")},
    )
    reason = forms.CharField(
        label=_("reason for the change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The decision that made the change: which meeting, on which date."),
        error_messages={"required": _("Give the reason for the change.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = wizard_helper("items", "reason")


class ValuesForm(forms.ModelForm):
    """Step 2: the new value of each item ticked in step 1, and only those."""

    class Meta:
        model = ChangeApplication
        fields = (
            "name",
            "district",
            "street",
            "address",
            "legal_representative",
            "business_scope",
            "registered_capital",
            "supervisory_unit",
            "direct_registration",
            "industry",
        )
        widgets = {"business_scope": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, items=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        wanted = {field for item in self.items for field in CHANGE_ITEMS[item]}
        if "supervisory_unit" in self.items:
            wanted.add("direct_registration")
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        for name in wanted - {"street", "supervisory_unit", "direct_registration"}:
            self.fields[name].required = True
        if "street" in self.fields:
            self.fields["street"].queryset = Street.objects.select_related("district")
            self.fields["street"].widget = StreetSelect(choices=self.fields["street"].choices)
        if current is not None:
            # Each field says what the organization has now, so the new value is typed beside it.
            for name, field in self.fields.items():
                now = getattr(current, name, None)
                if name != "direct_registration" and now not in (None, ""):
                    field.help_text = _("Now: %(value)s") % {"value": now}
        layout = [name for name in self.Meta.fields if name in self.fields]
        self.helper = wizard_helper(*layout)

    def clean(self):
        cleaned = super().clean()
        district, street = cleaned.get("district"), cleaned.get("street")
        if district and street and street.district_id != district.pk:
            self.add_error(
                "street",
                _("“%(street)s” is not in %(district)s: choose a street of %(district)s.")
                % {"street": street.name, "district": district.name},
            )
        if "supervisory_unit" in self.items:
            unit, direct = cleaned.get("supervisory_unit"), cleaned.get("direct_registration")
            if unit and direct:
                self.add_error(
                    "supervisory_unit",
                    _("Choose the new unit or tick “no supervisory unit any more”, not both."),
                )
            elif not unit and not direct and "supervisory_unit" not in self.errors:
                self.add_error(
                    "supervisory_unit",
                    _(
                        "Choose the new business supervisory unit, or tick “no supervisory unit "
                        "any more”."
                    ),
                )
        return cleaned


class ChangePledgeForm(PledgeForm):
    """Step 3: the new legal representative signs the Party-building pledge again (R-CHG-5)."""

    def clean_pledge_signed_by(self):
        signed_by = self.cleaned_data["pledge_signed_by"].strip()
        if not self.legal_representative:
            raise ValidationError(
                _("Enter the new legal representative in step 2 first."), code="no_representative"
            )
        if signed_by != self.legal_representative:
            raise ValidationError(
                _(
                    "The pledge is signed by the new legal representative, “%(name)s”; the "
                    "signature does not match."
                ),
                code="not_representative",
                params={"name": self.legal_representative},
            )
        return signed_by


class CharterAmendmentForm(forms.Form):
    """Step 1 of a charter amendment: the amended charter, its Party-building clause kept
    (R-REG-1 holds for amendments: R-CHG-7), and what the amendment changes."""

    charter_text = forms.CharField(
        label=_("amended charter"),
        max_length=MAX_CHARTER_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": _("The charter cannot be empty.")},
        help_text=_("Edit the charter in force. The Party-building clause must stay."),
    )
    reason = forms.CharField(
        label=_("explanation of the amendment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the amendment changes, and the meeting that adopted it, with its date."),
        error_messages={"required": _("Explain what the amendment changes.")},
    )

    def __init__(self, *args, clause: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.clause = clause
        self.helper = wizard_helper("charter_text", "reason")

    def clean_charter_text(self):
        text = self.cleaned_data["charter_text"]
        if self.clause and not charter_has_clause(text, self.clause):
            raise ValidationError(
                _("The charter must keep the Party-building clause: %(clause)s"),
                code="clause",
                params={"clause": self.clause},
            )
        placeholders = charter_placeholders(text)
        if placeholders:
            raise ValidationError(
                _(
                    "The charter still holds the template's instructions %(placeholders)s: "
                    "replace them with the organization's own text."
                ),
                code="placeholder",
                params={"placeholders": "".join(placeholders)},
            )
        return text


class ChangeReviewForm(ConfirmationForm):
    incomplete_message = _(
        "The application still has %(count)d things to complete or correct: deal with those "
        "listed above, then submit."
    )
