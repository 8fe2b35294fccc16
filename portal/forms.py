"""Portal forms: applicant sign-up and one form class per step of the registration wizard.

Forms validate and lay out; the views call the services (style §11). Error messages go through
gettext, like the services' own; the wizard_forms module holds what both wizards share."""

import datetime
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.contrib.auth.forms import UserCreationForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import calendar
from core.identity import birth_date_of, sex_of, validate_id_number
from registry.choices import MemberStatus
from registry.models import Application, ApplicationMember, Street
from registry.models.member import MEMBER_DETAIL_FIELDS
from registry.services.registration import (
    charter_has_clause,
    charter_placeholders,
)

from .wizard_forms import ConfirmationForm, date_widget, refuse_repeated_id_numbers, wizard_helper

MAX_CHARTER_LENGTH = 20_000
MAX_MEMBER_ROWS = 200
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def _not_in_future(value: datetime.date | None, message: str) -> None:
    if value and value > calendar.today():
        raise ValidationError(message, code="future")


# --- Sign-up ---------------------------------------------------------------------------------


class ApplicantSignupForm(UserCreationForm):
    """A person founding an organization: an applicant account (role APPLICANT, never staff)."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "phone")
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("applicant account")
        self.fields["username"].help_text = _(
            "You log in with it. Letters, digits and @ . + - _ only, at most 150 characters."
        )
        self.fields["first_name"].label = _("your name")
        self.fields["first_name"].required = True
        self.fields["phone"].label = _("mobile phone")
        self.fields["phone"].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "username",
            Row(Column("first_name"), Column("phone")),
            "password1",
            "password2",
        )

    def clean_username(self):
        username = super().clean_username()
        # 18 characters starting with a digit is the shape of a credit code: the login form
        # upper-cases those, and the organization account created at approval takes that name.
        if username and len(username) == 18 and username[0].isdigit():
            raise ValidationError(
                _(
                    "The account name cannot have the shape of a unified social credit code (18 "
                    "characters starting with a digit); choose another."
                ),
                code="credit_code_shape",
            )
        return username

    def clean_phone(self):
        phone = "".join((self.cleaned_data.get("phone") or "").split())
        if not MOBILE_PATTERN.match(phone):
            raise ValidationError(_("Enter an 11-digit mobile number."), code="mobile")
        return phone


# --- Step 1: basic information ----------------------------------------------------------------


class StreetSelect(forms.Select):
    """A street list whose options name their district (data-district), so the page can offer
    only the chosen district's streets (static/js/streets.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-district"] = str(instance.district_id)
        return option


class BasicInformationForm(forms.ModelForm):
    """Name, type, industry, supervisory unit or direct registration, where, who, how many."""

    REQUIRED = (
        "name",
        "organization_type",
        "industry",
        "district",
        "address",
        "legal_representative",
        "contact_person",
        "contact_phone",
        "full_time_staff",
    )

    class Meta:
        model = Application
        fields = (
            "name",
            "organization_type",
            "industry",
            "supervisory_unit",
            "direct_registration",
            "district",
            "street",
            "address",
            "legal_representative",
            "contact_person",
            "contact_phone",
            "full_time_staff",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.REQUIRED:
            self.fields[name].required = True
        # Every district's streets in one list, each naming its district: static/js/streets.js
        # offers only the chosen district's; clean() checks it again.
        self.fields["street"].queryset = Street.objects.select_related("district")
        self.fields["street"].widget = StreetSelect(choices=self.fields["street"].choices)
        self.fields["supervisory_unit"].help_text = _(
            "Choose the unit that consented to supervise the organization, or tick direct "
            "registration below."
        )
        self.fields["full_time_staff"].widget.attrs["min"] = 0
        self.helper = wizard_helper(
            "name",
            Row(Column("organization_type"), Column("industry")),
            Row(
                Column("supervisory_unit", css_class="col-md-8"),
                Column("direct_registration", css_class="col-md-4 pt-md-4"),
            ),
            Row(Column("district"), Column("street")),
            "address",
            Row(Column("legal_representative"), Column("contact_person"), Column("contact_phone")),
            Field("full_time_staff", css_class="w-auto"),
        )

    def clean(self):
        cleaned = super().clean()
        district, street = cleaned.get("district"), cleaned.get("street")
        if district and street and street.district_id != district.pk:
            self.add_error(
                "street",
                _("“%(street)s” is not in %(district)s: choose a street of %(district)s.")
                % {"street": street.name, "district": district.name},
            )
        unit, direct = cleaned.get("supervisory_unit"), cleaned.get("direct_registration")
        if direct and unit:
            self.add_error(
                "supervisory_unit",
                _(
                    "An organization registered directly has no business supervisory unit: choose "
                    "the unit or tick “direct registration”, not both."
                ),
            )
        elif not direct and not unit and "supervisory_unit" not in self.errors:
            self.add_error(
                "supervisory_unit",
                _("Choose the business supervisory unit, or tick “direct registration”."),
            )
        return cleaned


# --- Step 2: charter (R-REG-1) ----------------------------------------------------------------


class CharterForm(forms.Form):
    """The charter generated from the bureau's template: editable, but the Party-building
    clause stays (R-REG-1)."""

    charter_text = forms.CharField(
        label=_("charter"),
        max_length=MAX_CHARTER_LENGTH,
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages={
            "required": _("The charter cannot be empty."),
            "max_length": _(
                "The charter holds at most %(limit_value)d characters; it has %(show_value)d."
            ),
        },
        help_text=_(
            "Fill in the purpose and the scope of business. The Party-building clause must stay."
        ),
    )

    def __init__(self, *args, clause: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.clause = clause
        self.helper = wizard_helper("charter_text")

    def clean_charter_text(self):
        text = self.cleaned_data["charter_text"]
        if self.clause and not charter_has_clause(text, self.clause):
            raise ValidationError(
                _("The charter must keep the Party-building clause: %(clause)s"),
                code="clause",
                params={"clause": self.clause},
            )
        if "{name}" in text:
            # The name is filled in from step 1; a charter still holding the placeholder would
            # be regenerated from the template when the name is entered, losing these edits.
            raise ValidationError(
                _(
                    "Fill in the organization's name in step 1 first; “{name}” in the charter is "
                    "replaced by it."
                ),
                code="name",
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


# --- Step 3: pledge (R-REG-2) -----------------------------------------------------------------


class PledgeForm(forms.Form):
    """The Party-building pledge the bureau configures, accepted by the legal representative's
    name and the date."""

    pledge_signed_by = forms.CharField(
        label=_("signature of the legal representative"),
        max_length=50,
        error_messages={"required": _("The legal representative signs with his or her name.")},
    )
    pledge_signed_on = forms.DateField(
        label=_("date signed"),
        widget=date_widget(),
        error_messages={
            "required": _("Give the date signed."),
            "invalid": _("Enter a valid date."),
        },
    )

    def __init__(self, *args, legal_representative: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.legal_representative = (legal_representative or "").strip()
        self.helper = wizard_helper(Row(Column("pledge_signed_by"), Column("pledge_signed_on")))

    def clean_pledge_signed_by(self):
        signed_by = self.cleaned_data["pledge_signed_by"]
        if not self.legal_representative:
            raise ValidationError(
                _("Fill in the legal representative in step 1 first."), code="no_representative"
            )
        if signed_by.strip() != self.legal_representative:
            raise ValidationError(
                _(
                    "The pledge is signed by the legal representative, “%(name)s”; the signature "
                    "does not match."
                ),
                code="not_representative",
                params={"name": self.legal_representative},
            )
        return signed_by.strip()

    def clean_pledge_signed_on(self):
        signed_on = self.cleaned_data["pledge_signed_on"]
        _not_in_future(signed_on, _("The date signed cannot be later than today."))
        return signed_on


# --- Step 4: member form (R-REG-2) ------------------------------------------------------------


class MemberRowForm(forms.ModelForm):
    """One row of 《新建社会组织党员情况表》."""

    id_number = forms.CharField(
        label=ApplicationMember._meta.get_field("id_number").verbose_name,
        max_length=24,  # room for spaces typed between the groups; normalized to 18 below
    )

    class Meta:
        model = ApplicationMember
        # Every detail but the phone, which the registration member rows have never asked for
        # (it is added on the Party-building record the row becomes).
        fields = tuple(field for field in MEMBER_DETAIL_FIELDS if field != "phone")
        widgets = {
            "full_membership_due_on": date_widget(),
            "joined_party_on": date_widget(),
            "certificate_letter_on": date_widget(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].required = False
        self.fields["sex"].help_text = _("Left empty, it is read from the ID number.")
        self.fields["joined_party_on"].required = True
        self.fields["full_membership_due_on"].help_text = _("Probationary members only.")
        self.fields["relationship"].help_text = _(
            "Floating members and members whose relationship is held elsewhere count toward "
            "the organization's Party members only with a certificate letter (R-PB-1)."
        )
        self.fields["certificate_letter_on"].help_text = _(
            "Optional: the date of the certificate letter (党员证明信) and who issued it."
        )
        self.helper = wizard_helper(
            Row(Column("name"), Column("sex"), Column("id_number", css_class="col-md-5")),
            Row(Column("status"), Column("full_membership_due_on"), Column("joined_party_on")),
            Row(Column("role"), Column("relationship")),
            Row(Column("certificate_letter_on"), Column("certificate_letter_issuer")),
        )
        self.helper.render_unmentioned_fields = True  # the formset's DELETE box

    def clean_id_number(self):
        return validate_id_number(self.cleaned_data["id_number"])

    def clean(self):
        cleaned = super().clean()
        id_number = cleaned.get("id_number")
        if id_number:
            derived = sex_of(id_number)
            if not cleaned.get("sex"):
                cleaned["sex"] = derived
            elif cleaned["sex"] != derived and "sex" not in self.errors:
                self.add_error("sex", _("The sex does not match the 17th digit of the ID number."))
        if cleaned.get("status") == MemberStatus.PROBATIONARY and not cleaned.get(
            "full_membership_due_on"
        ):
            self.add_error(
                "full_membership_due_on",
                _("Give the date a probationary member is due to become a full member."),
            )
        joined = cleaned.get("joined_party_on")
        if joined:
            if joined > calendar.today():
                self.add_error(
                    "joined_party_on",
                    _("The date of joining the Party cannot be later than today."),
                )
            elif id_number and joined < _eighteenth_birthday(birth_date_of(id_number)):
                self.add_error(
                    "joined_party_on",
                    _(
                        "The date of joining the Party is before the member's 18th birthday; "
                        "check it."
                    ),
                )
        letter_on, issuer = (
            cleaned.get("certificate_letter_on"),
            cleaned.get("certificate_letter_issuer"),
        )
        if letter_on and letter_on > calendar.today():
            self.add_error(
                "certificate_letter_on",
                _("The date of the certificate letter cannot be later than today."),
            )
        if issuer and not letter_on and "certificate_letter_on" not in self.errors:
            self.add_error(
                "certificate_letter_on",
                _("Give the date of the Party membership certificate letter."),
            )
        if letter_on and not issuer:
            self.add_error(
                "certificate_letter_issuer",
                _("Give the issuer of the Party membership certificate letter."),
            )
        return cleaned


def _eighteenth_birthday(birth: datetime.date) -> datetime.date:
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:  # born on 29 February
        return birth.replace(year=birth.year + 18, day=28)


class NoPartyMembersForm(forms.Form):
    no_party_members = forms.BooleanField(
        required=False, label=_("The organization has no Party members yet")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = wizard_helper("no_party_members")


class BaseMemberFormSet(forms.BaseFormSet):
    """The member rows plus the explicit statement "本组织暂无党员": exactly one of the two."""

    default_error_messages = {
        "too_many_forms": _("The member form holds at most %(num)d rows."),
    }

    def __init__(self, *args, no_party_members: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.declaration = NoPartyMembersForm(
            self.data if self.is_bound else None,
            prefix=self.prefix,
            initial={"no_party_members": no_party_members},
        )

    @property
    def no_party_members(self) -> bool:
        return self.declaration.is_valid() and self.declaration.cleaned_data["no_party_members"]

    def filled_forms(self):
        """(row number, form) of the rows to keep: filled in and not marked for deletion."""
        return [
            (number, form)
            for number, form in enumerate(self.forms, start=1)
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]

    def member_rows(self) -> list[dict]:
        """The rows as the registration service takes them."""
        return [
            {
                key: form.cleaned_data.get(key)
                for key in MEMBER_DETAIL_FIELDS
                if key in form.cleaned_data
            }
            for _number, form in self.filled_forms()
        ]

    def clean(self):
        if any(self.errors):
            return
        rows = self.filled_forms()
        if rows and self.no_party_members:
            raise ValidationError(
                _(
                    "Party members are entered, so “the organization has no Party members yet” "
                    "cannot be ticked; if there really is none, delete the rows."
                ),
                code="contradiction",
            )
        if not rows and not self.no_party_members:
            raise ValidationError(
                _(
                    "Enter the Party members one by one, or tick “the organization has no Party "
                    "members yet”."
                ),
                code="no_rows",
            )
        refuse_repeated_id_numbers(rows)


MemberFormSet = forms.formset_factory(
    MemberRowForm,
    formset=BaseMemberFormSet,
    extra=3,
    can_delete=True,
    max_num=MAX_MEMBER_ROWS,
    validate_max=True,
    # No more rows are even built than the form may hold (memory), whatever TOTAL_FORMS says.
    absolute_max=MAX_MEMBER_ROWS,
)


# --- Step 5: review ---------------------------------------------------------------------------


class ReviewForm(ConfirmationForm):
    """Last look at everything; blocked while application_problems lists anything."""

    incomplete_message = _(
        "The application still has %(count)d things to complete or correct: deal with those "
        "listed above, then submit."
    )
