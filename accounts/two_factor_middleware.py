"""Nobody who needs two-factor authentication gets past the code page with only a password."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.views.i18n import JavaScriptCatalog

from .two_factor import two_factor_enabled, two_factor_required

# What a half-logged-in user may still reach: the two-factor pages, logging out, switching the
# language, the JavaScript catalog (static files are let through by their prefix).
OPEN_NAMESPACES = {"two_factor"}
OPEN_URL_NAMES = {"logout", "set_language", "javascript-catalog", "jsi18n"}


class TwoFactorRequiredMiddleware:
    """After django_otp's OTPMiddleware (which tells whether this session entered a code): a
    logged-in user who needs two-factor authentication and has not verified this session is
    sent to the code page, or, staff without an authenticator, to the set-up page. Placed before
    the forced password change so that a password alone cannot change the password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not self.is_open(request)
            and two_factor_required(user)
        ):
            page = "two_factor:verify" if two_factor_enabled(user) else "two_factor:setup"
            return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def is_open(request) -> bool:
        static_url = "/" + settings.STATIC_URL.lstrip("/")
        if request.path_info.startswith(static_url):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return (
            bool(OPEN_NAMESPACES.intersection(match.namespaces))
            or match.url_name in OPEN_URL_NAMES
            or getattr(match.func, "view_class", None) is JavaScriptCatalog
        )
