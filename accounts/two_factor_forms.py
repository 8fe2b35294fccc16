from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """One code: six digits from the authenticator app, or (where allowed) a recovery code."""

    token = forms.CharField(
        label=_("verification code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "class": "form-control"}
        ),
    )

    def __init__(self, *args, recovery_codes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].help_text = (
            _("The 6-digit code your authenticator app shows, or one of your recovery codes.")
            if recovery_codes
            else _("The 6-digit code your authenticator app shows.")
        )
        if not recovery_codes:
            self.fields["token"].widget.attrs["inputmode"] = "numeric"

    def add_service_error(self, error) -> None:
        """The service's refusal, shown under the code field."""
        self.add_error("token", error)
