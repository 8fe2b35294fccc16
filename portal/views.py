"""The organizations' portal: never the admin, and only ever the user's own organization."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, TemplateView, View

from accounts import roles
from accounts.forms import PortalAuthenticationForm
from registry.selectors import organizations_visible_to


class HomeView(TemplateView):
    template_name = "home.html"


class PortalLoginView(auth_views.LoginView):
    form_class = PortalAuthenticationForm
    redirect_authenticated_user = True


class OrganizationUserRequiredMixin(LoginRequiredMixin):
    """Staff have the admin; the portal is for organization accounts only."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (
            user.has_role(roles.ORGANIZATION) and user.organization_id
        ):
            if user.is_staff:
                return redirect("admin:index")
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PortalHomeView(OrganizationUserRequiredMixin, View):
    def get(self, request):
        return redirect("portal:organization", pk=request.user.organization_id)


class OrganizationDetailView(OrganizationUserRequiredMixin, DetailView):
    template_name = "portal/organization_detail.html"
    context_object_name = "organization"

    def get_object(self, queryset=None):
        # Another organization's id is simply not in the user's queryset: 404, nothing leaked.
        return get_object_or_404(organizations_visible_to(self.request.user), pk=self.kwargs["pk"])
