from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from .forms import OwnPasswordChangeForm
from .services import password_chosen_record
from .session_policy import session_claim


class OwnPasswordChangeMixin:
    form_class = OwnPasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        # Changing the password gave the session a new key: it stays the account's one session.
        session_claim(request=self.request, user=form.user)
        password_chosen_record(user=form.user, request=self.request)
        return response


class PortalPasswordChangeView(OwnPasswordChangeMixin, auth_views.PasswordChangeView):
    """Organization users and applicants change their own password in the portal's style."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("portal:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


class AdminOwnPasswordChangeView(OwnPasswordChangeMixin, auth_views.PasswordChangeView):
    """The admin's own "change password" page (admin:password_change), with the form that meets
    a pending demand to change the password. Mounted at the admin's URL in config/urls.py."""

    template_name = "registration/password_change_form.html"

    def get_success_url(self):
        return reverse("admin:password_change_done")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **admin.site.each_context(self.request)}


admin_own_password_change = admin.site.admin_view(AdminOwnPasswordChangeView.as_view())
