"""Identity-policy middleware. Order in settings.MIDDLEWARE: AuthenticationMiddleware,
MessageMiddleware, SessionPolicyMiddleware, the two-factor middleware, then
PasswordChangeRequiredMiddleware (a user is told to change the password only once they have
fully logged in)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .policy import demo_exempt
from .session_policy import (
    session_idle_too_long,
    session_is_current,
    session_touch,
)


def login_url_for(user) -> str:
    return reverse("admin:login") if user.is_staff else reverse(settings.LOGIN_URL)


class SessionPolicyMiddleware:
    """Ends, on the server, a session idle for longer than the timeout or superseded by a
    newer login of the same account, and sends the user to their login page saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if not session_is_current(request=request, user=user):
                return self.end_session(request, user, self.superseded_reason())
            if session_idle_too_long(request):
                minutes = settings.ACCOUNTS["IDLE_TIMEOUT_MINUTES"]
                reason = _(
                    "You have been logged out after %(minutes)d minutes without activity. "
                    "Please log in again."
                ) % {"minutes": minutes}
                return self.end_session(request, user, reason)
            session_touch(request)
        return self.get_response(request)

    @staticmethod
    def superseded_reason() -> str:
        return _(
            "Your account has logged in somewhere else, so you have been logged out here. If "
            "that was not you, change your password at once."
        )

    def end_session(self, request, user, reason):
        login_url = login_url_for(user)
        logout(request)
        messages.warning(request, reason)
        return redirect_to_login(request.get_full_path(), login_url)


def password_change_url_for(user) -> str:
    return (
        reverse("admin:password_change") if user.is_staff else reverse("accounts:password_change")
    )


class PasswordChangeRequiredMiddleware:
    """A user whose password someone else set (an initial or reset password) may use nothing
    but the password-change page, logging out, static files, language switching and the
    two-factor pages until they have chosen their own."""

    ALWAYS_OPEN_PREFIXES = ("/i18n/", "/accounts/two-factor/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.password_change_required
            and not demo_exempt(user)
            and not self.is_open(request.path_info)
        ):
            messages.warning(
                request,
                _(
                    "Your password was set by someone else. Choose a new password of your own "
                    "before you continue."
                ),
            )
            return redirect(password_change_url_for(user))
        return self.get_response(request)

    def is_open(self, path: str) -> bool:
        open_paths = {
            reverse("accounts:password_change"),
            reverse("admin:password_change"),
            reverse("admin:password_change_done"),
            reverse("admin:logout"),
            reverse("portal:logout"),
            reverse("admin:jsi18n"),
        }
        static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        return (
            path in open_paths
            or path.startswith(static_prefix)
            or path.startswith(self.ALWAYS_OPEN_PREFIXES)
        )
