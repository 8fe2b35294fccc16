from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .auth import normalize_login_name


class NormalizingAuthenticationForm(AuthenticationForm):
    """Accepts a credit code typed in lower case or with spaces, as clerks read it off paper."""

    def clean_username(self):
        return normalize_login_name(self.cleaned_data.get("username", ""))


class PortalAuthenticationForm(NormalizingAuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The credit code (or applicant account) or the password is wrong. Credit codes may "
            "be typed in any case; passwords are case-sensitive."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Organizations log in with their credit code, applicants with the account they chose.
        self.fields["username"].label = _("unified social credit code or applicant account")
