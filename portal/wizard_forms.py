"""What the forms of both portal wizards (registration, annual check) share: the crispy helper
for a form inside the wizard's own <form> tag, the date input, the check that no two rows of a
member table carry the same ID number, and the last step's confirmation."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.identity import repeated_id_number_errors


def wizard_helper(*layout) -> FormHelper:
    """A helper for forms rendered inside the wizard's own <form> tag."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def refuse_repeated_id_numbers(rows) -> None:
    """`rows`: (row number, form) of a member table's filled rows; refuses the table when two
    rows carry the same ID number, naming both rows."""
    repeated = repeated_id_number_errors(
        (number, form.cleaned_data["id_number"]) for number, form in rows
    )
    if repeated:
        raise ValidationError(repeated, code="duplicate")


class ConfirmationForm(forms.Form):
    """A wizard's last step: the user confirms, and cannot while `problems` lists anything.
    Subclasses say what is incomplete in `incomplete_message` (with %(count)d)."""

    incomplete_message = ""

    confirm = forms.BooleanField(
        label=_("I confirm that the information above is true and complete."),
        error_messages={
            "required": _("Confirm that the information is true and complete before submitting.")
        },
    )

    def __init__(self, *args, problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = list(problems)
        self.helper = wizard_helper("confirm")

    def clean(self):
        cleaned = super().clean()
        if self.problems:
            raise ValidationError(
                self.incomplete_message, code="incomplete", params={"count": len(self.problems)}
            )
        return cleaned
