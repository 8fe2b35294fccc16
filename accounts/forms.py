from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    AuthenticationForm,
    PasswordChangeForm,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .auth import normalize_login_name
from .lockout import (
    account_locked_until,
    lockout_message,
    login_attempt_begin,
    login_failure_record,
    login_failures_clear,
)
from .models import User
from .services import password_mark_chosen, password_mark_issued


class LockoutMessageMixin:
    """A locked account is refused like any wrong password (accounts.backends); the form then
    says so plainly, with the time the lock runs out."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            username = self.cleaned_data.get("username") or self.data.get("username", "")
            locked_until = account_locked_until(username)
            if locked_until:
                raise ValidationError(lockout_message(locked_until), code="locked") from None
            raise


class NormalizingAuthenticationForm(LockoutMessageMixin, AuthenticationForm):
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


class StaffAuthenticationForm(LockoutMessageMixin, AdminAuthenticationForm):
    """The admin's login form, saying when a locked account opens again
    (admin.site.login_form)."""


# --- Setting passwords -------------------------------------------------------------------------


class OwnPasswordChangeForm(PasswordChangeForm):
    """The user replaces their own password (portal page and the admin's own-password page):
    whatever demand to change it was pending is met. The current password is checked under the
    failed-login lockout, as a login checks it: otherwise a borrowed session could try
    passwords here without limit (redteam, after issue 13)."""

    def clean_old_password(self):
        username = self.user.get_username()
        if not login_attempt_begin(username=username, ip_address=None):
            locked_until = account_locked_until(username)
            raise ValidationError(
                lockout_message(locked_until)
                if locked_until
                else self.error_messages["password_incorrect"],
                code="locked",
            )
        try:
            old_password = super().clean_old_password()
        except ValidationError:
            login_failure_record(username=username, ip_address=None)
            raise
        login_failures_clear(username)
        return old_password

    def set_password_and_save(self, user, *args, **kwargs):
        password_mark_chosen(user)
        return super().set_password_and_save(user, *args, **kwargs)


class IssuedPasswordForm(AdminPasswordChangeForm):
    """An administrator sets another user's password (UserAdmin.change_password_form): the user
    must change it at the next login."""

    def set_password_and_save(self, user, *args, **kwargs):
        password_mark_issued(user)
        return super().set_password_and_save(user, *args, **kwargs)


class IssuedUserCreationForm(AdminUserCreationForm):
    """The admin's add-user form (UserAdmin.add_form): the first password is the creator's, so
    the new user must change it at the first login."""

    class Meta(AdminUserCreationForm.Meta):
        model = User

    def set_password_and_save(self, user, *args, **kwargs):
        password_mark_issued(user)
        return super().set_password_and_save(user, *args, **kwargs)
