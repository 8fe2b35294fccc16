"""Pages of two-factor authentication: the code after the password, setting up an authenticator,
recovery codes, and turning it on or off (portal users). Staff see them in the admin's frame,
everyone else in the portal's. The rules are in accounts.two_factor."""

import io
from urllib.parse import urlencode

import segno
from django.contrib import admin, messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from . import two_factor
from .two_factor_forms import TokenForm

QR_SCALE = 5


def _next_url(request) -> str:
    """Where to go once verified: the page the middleware interrupted, if it is ours."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index" if two_factor.is_staff_account(request.user) else "portal:home")


def _with_next(url_name: str, request) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next_url(request)})}"


class TwoFactorPageMixin(LoginRequiredMixin):
    template_name = ""
    title = ""

    def render_page(self, request, status=200, **context):
        staff = two_factor.is_staff_account(request.user)
        page = {
            "base_template": "admin/base_site.html" if staff else "portal/base.html",
            "staff_page": staff,
            "title": self.title,
            "next": _next_url(request),
            **context,
        }
        if staff:
            page = {**admin.site.each_context(request), "is_nav_sidebar_enabled": False, **page}
        return render(request, self.template_name, page, status=status)


class VerifyView(TwoFactorPageMixin, View):
    """The code asked for after the password, once per session."""

    template_name = "accounts/two_factor/verify.html"

    @property
    def title(self):
        return _("Two-factor verification")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            if user.is_verified() or not two_factor.two_factor_required(user):
                return redirect(_next_url(request))
            if not two_factor.two_factor_enabled(user):
                return redirect(_with_next("two_factor:setup", request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_page(request, form=TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        if _code_accepted(request, form, two_factor.two_factor_verify):
            return redirect(_next_url(request))
        return self.render_page(request, form=form)


def _code_accepted(request, form: TokenForm, service) -> bool:
    """Hand the posted code to `service`; False, with the refusal on the form, when the form
    or the service refuses it."""
    if not form.is_valid():
        return False
    try:
        service(request=request, user=request.user, token=form.cleaned_data["token"])
    except ValidationError as error:
        form.add_service_error(error)
        return False
    return True


class SetupView(TwoFactorPageMixin, View):
    """Scan the QR code (or type the secret), confirm with a first code, then note the
    recovery codes, shown this once."""

    template_name = "accounts/two_factor/setup.html"

    @property
    def title(self):
        return _("Set up two-factor authentication")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        # A second authenticator would let whoever knows only the password replace the first.
        if user.is_authenticated and two_factor.two_factor_enabled(user):
            if not user.is_verified():
                return redirect(_with_next("two_factor:verify", request))
            messages.info(request, _("Two-factor authentication is already set up."))
            return redirect("two_factor:manage")
        if user.is_authenticated and two_factor.two_factor_setup_awaits_approval(user):
            # Whoever set the password must not be the one to choose the second factor.
            return self.render_page(
                request,
                status=403,
                awaits_approval=two_factor.setup_awaits_approval_message(),
            )
        return super().dispatch(request, *args, **kwargs)

    def page(self, request, form, status=200):
        device = two_factor.totp_device_pending(request.user) or two_factor.totp_device_begin(
            user=request.user
        )
        return self.render_page(
            request,
            status=status,
            form=form,
            secret=two_factor.totp_secret_for_display(device),
            required=two_factor.is_staff_account(request.user),
        )

    def get(self, request):
        return self.page(request, TokenForm(recovery_codes=False))

    def post(self, request):
        form = TokenForm(request.POST, recovery_codes=False)
        if _code_accepted(request, form, two_factor.totp_device_confirm):
            codes = two_factor.recovery_codes_issue(user=request.user, request=request)
            return RecoveryCodesView.show(request, codes, just_set_up=True)
        return self.page(request, form)


class QrCodeView(LoginRequiredMixin, View):
    """The pending authenticator's otpauth URL as an SVG QR code: an image the page loads like
    any other (no data: URI, no script), only ever for the requesting user's own device."""

    def get(self, request):
        device = two_factor.totp_device_pending(request.user)
        if device is None or two_factor.two_factor_setup_awaits_approval(request.user):
            raise Http404(_("There is no authenticator being set up."))
        buffer = io.BytesIO()
        segno.make(two_factor.totp_otpauth_url(device), error="m").save(
            buffer, kind="svg", scale=QR_SCALE, xmldecl=False
        )
        response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
        # It carries the secret: never kept by a browser or a proxy.
        response["Cache-Control"] = "no-store, private"
        return response


class ManageView(TwoFactorPageMixin, View):
    """State of the account's two-factor authentication; portal users turn it on and off here,
    everyone regenerates recovery codes here."""

    template_name = "accounts/two_factor/manage.html"

    @property
    def title(self):
        return _("Two-factor authentication")

    def page(self, request, turn_off_form=None, status=200):
        user = request.user
        return self.render_page(
            request,
            status=status,
            enabled=two_factor.two_factor_enabled(user),
            required=two_factor.is_staff_account(user),
            recovery_codes_left=two_factor.recovery_codes_left(user),
            turn_off_form=turn_off_form or TokenForm(),
        )

    def get(self, request):
        return self.page(request)


class TurnOffView(ManageView):
    http_method_names = ["post"]

    def post(self, request):
        form = TokenForm(request.POST)
        if _code_accepted(request, form, two_factor.two_factor_turn_off):
            messages.success(request, _("Two-factor authentication is turned off."))
            return redirect("two_factor:manage")
        return self.page(request, turn_off_form=form, status=400)


class RecoveryCodesView(TwoFactorPageMixin, View):
    """New recovery codes in place of the old ones, for a verified session only."""

    template_name = "accounts/two_factor/recovery_codes.html"
    http_method_names = ["post"]

    @property
    def title(self):
        return _("Recovery codes")

    @classmethod
    def show(cls, request, codes, *, just_set_up=False):
        return cls().render_page(request, codes=codes, just_set_up=just_set_up)

    def post(self, request):
        if not (two_factor.two_factor_enabled(request.user) and request.user.is_verified()):
            return redirect("two_factor:manage")
        codes = two_factor.recovery_codes_issue(user=request.user, request=request)
        return self.show(request, codes)
