"""Forms of the annual-check wizard (R-AC-1) and of the rectification answers (R-AC-5).

Forms validate and lay out; the wizard calls the annualcheck services (style §11). Error
messages go through gettext, like the services' own."""

from crispy_forms.layout import Column, Field, Row
from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from annualcheck.models import REPORT_FIELDS, PartyBuildingReport, RegisterEntry
from core import calendar
from partybuilding.choices import FormationMode
from registry.models.member import MEMBER_DETAIL_FIELDS

from .forms import MemberRowForm
from .wizard_forms import ConfirmationForm, date_widget, refuse_repeated_id_numbers, wizard_helper

MAX_ITEM_LENGTH = 5000
MAX_REGISTER_ROWS = 500
PARTY_BUILDING_FIELDS = REPORT_FIELDS


def display_value(value) -> str:
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if value in (None, ""):
        return str(_("(empty)"))
    return str(FormationMode(value).label) if value in FormationMode.values else str(value)


# --- Item 1: 《社会组织党建情况年报表》 -------------------------------------------------------


class PartyBuildingReportForm(forms.ModelForm):
    """Item 1, prefilled from the Party-building records; where the saved value differs from
    what the records say, the field says so (the reviewer sees the same differences)."""

    formation_mode = forms.ChoiceField(
        label=PartyBuildingReport._meta.get_field("formation_mode").verbose_name,
        choices=[("", "---------"), *FormationMode.choices],
        required=False,
    )

    class Meta:
        model = PartyBuildingReport
        fields = PARTY_BUILDING_FIELDS
        widgets = {
            "activities": forms.Textarea(attrs={"rows": 3}),
            "no_party_organization_reason": forms.Textarea(attrs={"rows": 3}),
            "work_coverage": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = self.instance.known or {}
        for name, on_record in known.items():
            field = self.fields.get(name)
            if field is not None and getattr(self.instance, name) != on_record:
                # Escaped here: crispy renders help texts as HTML.
                field.help_text = escape(
                    _("On record: %(value)s") % {"value": display_value(on_record)}
                )
                field.widget.attrs["class"] = "differs-from-records"
        for name in ("activities", "no_party_organization_reason", "work_coverage"):
            self.fields[name].max_length = MAX_ITEM_LENGTH
            self.fields[name].widget.attrs["maxlength"] = MAX_ITEM_LENGTH
        self.helper = wizard_helper(
            Row(
                Column("full_time_staff"),
                Column("party_organization_name", css_class="col-md-6"),
                Column("formation_mode"),
            ),
            Row(Column("secretary"), Column("instructor")),
            Row(
                Column("full_members"),
                Column("probationary_members"),
                Column("floating_members"),
                Column("part_time_members"),
            ),
            Row(Column("joined_this_year"), Column("left_this_year"), Column("activities_held")),
            "activities",
            Field("charter_has_clause"),
            "no_party_organization_reason",
            "work_coverage",
        )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("party_organization_name") or "").strip():
            if not (cleaned.get("no_party_organization_reason") or "").strip():
                self.add_error(
                    "no_party_organization_reason",
                    _("Without a Party organization, give the reason."),
                )
            if not (cleaned.get("work_coverage") or "").strip():
                self.add_error(
                    "work_coverage",
                    _(
                        "Without a Party organization, describe how the Party's work reaches the "
                        "organization."
                    ),
                )
        return cleaned

    def report_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PARTY_BUILDING_FIELDS}


# --- Item 1: 《党员登记表》 ---------------------------------------------------------------------


class RegisterRowForm(MemberRowForm):
    """One row of the member register: the member form's checks, plus leaving."""

    class Meta(MemberRowForm.Meta):
        model = RegisterEntry
        fields = (*MEMBER_DETAIL_FIELDS, "left_on", "left_reason")
        widgets = {**MemberRowForm.Meta.widgets, "left_on": date_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["joined_party_on"].required = False
        self.fields["left_on"].help_text = _(
            "Only for a member who left the organization: the date and the reason."
        )
        self.helper = wizard_helper(
            Row(Column("name"), Column("sex"), Column("id_number", css_class="col-md-5")),
            Row(Column("status"), Column("full_membership_due_on"), Column("joined_party_on")),
            Row(Column("role"), Column("relationship"), Column("phone")),
            Row(Column("certificate_letter_on"), Column("certificate_letter_issuer")),
            Row(Column("left_on"), Column("left_reason", css_class="col-md-8")),
        )
        self.helper.render_unmentioned_fields = True  # the formset's DELETE box

    def clean(self):
        cleaned = super().clean()
        left_on, reason = cleaned.get("left_on"), (cleaned.get("left_reason") or "").strip()
        if left_on and left_on > calendar.today():
            self.add_error("left_on", _("The date of leaving cannot be later than today."))
        if left_on and not reason:
            self.add_error("left_reason", _("Give the reason for leaving."))
        if reason and not left_on and "left_on" not in self.errors:
            self.add_error("left_on", _("Give the date of leaving."))
        return cleaned


class BaseRegisterFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": _("The member register holds at most %(num)d rows.")
    }

    def filled_forms(self):
        return [
            (number, form)
            for number, form in enumerate(self.forms, start=1)
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]

    def rows(self) -> list[dict]:
        """The rows as register_replace takes them."""
        fields = (*MEMBER_DETAIL_FIELDS, "left_on", "left_reason")
        return [
            {name: form.cleaned_data.get(name) for name in fields}
            for _number, form in self.filled_forms()
        ]

    def clean(self):
        if any(self.errors):
            return
        refuse_repeated_id_numbers(self.filled_forms())


RegisterFormSet = forms.formset_factory(
    RegisterRowForm,
    formset=BaseRegisterFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_REGISTER_ROWS,
    validate_max=True,
    absolute_max=MAX_REGISTER_ROWS,
)


# --- Items 2 to 10 ----------------------------------------------------------------------------


class ItemForm(forms.Form):
    """One of items 2–10: what the organization reports, in its own words."""

    report = forms.CharField(
        max_length=MAX_ITEM_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={
            "required": _("Describe this item; if nothing changed, write “no change”."),
            "max_length": _(
                "This item holds at most %(limit_value)d characters; it has %(show_value)d."
            ),
        },
    )

    def __init__(self, *args, title: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].label = title
        self.fields["report"].widget.attrs["maxlength"] = MAX_ITEM_LENGTH
        self.helper = wizard_helper("report")


# --- Review -----------------------------------------------------------------------------------


class AnnualCheckReviewForm(ConfirmationForm):
    incomplete_message = _(
        "The annual report still has %(count)d things to complete: deal with those listed "
        "above, then submit."
    )


# --- Rectification answers (R-AC-5) -----------------------------------------------------------


class RectificationAnswerForm(forms.Form):
    # The item's version the page was built from (core.concurrency): an answer from an old tab
    # is refused instead of overwriting a newer answer or a clerk's decision.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    answer = forms.CharField(
        label=_("What has been done"),
        max_length=MAX_ITEM_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Describe the rectification."),
            "max_length": _(
                "The rectification holds at most %(limit_value)d characters; it has %(show_value)d."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = wizard_helper("answer", "version")
