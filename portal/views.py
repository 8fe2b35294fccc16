"""The portal, never the admin: organizations see their own record, applicants file and follow
their own registration applications. Anyone else's ids answer 404, nothing leaked."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from accounts import roles
from accounts.forms import PortalAuthenticationForm
from accounts.services import user_ensure
from core.identity import mask_id_number
from partybuilding.rules import member_form_consequence
from registry.choices import ApplicationStatus
from registry.selectors import applications_visible_to, organizations_visible_to
from registry.services.registration import application_start

from .forms import ApplicantSignupForm
from .print_views import COPY_MARKINGS


class HomeView(TemplateView):
    template_name = "home.html"


class PortalLoginView(auth_views.LoginView):
    form_class = PortalAuthenticationForm
    redirect_authenticated_user = True


# --- Who may use which portal pages ----------------------------------------------------------


def is_organization_user(user) -> bool:
    return user.has_role(roles.ORGANIZATION) and user.organization_id is not None


def is_applicant(user) -> bool:
    return user.has_role(roles.APPLICANT)


class PortalUserRequiredMixin(LoginRequiredMixin):
    """Staff have the admin; the portal is for organization accounts and applicants, each on
    their own pages (`portal_user_allowed`)."""

    def portal_user_allowed(self, user) -> bool:
        return is_organization_user(user) or is_applicant(user)

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not self.portal_user_allowed(user):
            if user.is_staff:
                return redirect("admin:index")
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OrganizationUserRequiredMixin(PortalUserRequiredMixin):
    def portal_user_allowed(self, user) -> bool:
        return is_organization_user(user)


class ApplicantRequiredMixin(PortalUserRequiredMixin):
    def portal_user_allowed(self, user) -> bool:
        return is_applicant(user)


def own_applications(user):
    """The applicant's own applications, drafts included; never anyone else's."""
    return applications_visible_to(user).filter(applicant_id=user.pk)


class OwnApplicationMixin:
    """Loads `self.application` from the user's own applications (404 otherwise). Placed after
    the access mixin, so anonymous users are sent to log in before any lookup."""

    require_editable = False

    def dispatch(self, request, *args, **kwargs):
        self.application = get_object_or_404(own_applications(request.user), pk=kwargs["pk"])
        if self.require_editable and not self.application.is_editable:
            messages.info(
                request,
                _(
                    "This application has been submitted and cannot be changed while it is "
                    "being reviewed."
                ),
            )
            return redirect("portal:application", pk=self.application.pk)
        return super().dispatch(request, *args, **kwargs)


def application_consequence(application) -> str:
    """What the saved member form implies once registered (R-PB-2..4), or "" before the
    applicant has filled it in."""
    rows = list(
        application.members.values("status", "role", "relationship", "certificate_letter_on")
    )
    if not rows and not application.no_party_members:
        return ""
    return member_form_consequence(rows)[2]


def member_rows(application) -> list[tuple]:
    """(member, masked ID number) for screens, which show ID numbers masked (R-ID-2)."""
    return [(member, mask_id_number(member.id_number)) for member in application.members.all()]


# --- Home, sign-up ---------------------------------------------------------------------------


class PortalHomeView(PortalUserRequiredMixin, View):
    def get(self, request):
        if is_organization_user(request.user):
            return redirect("portal:organization", pk=request.user.organization_id)
        return redirect("portal:applications")


class ApplicantSignupView(FormView):
    """A person founding an organization opens an applicant account, then files online."""

    form_class = ApplicantSignupForm
    template_name = "portal/signup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("portal:home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user, created = user_ensure(
                    username=data["username"],
                    role=roles.APPLICANT,
                    password=data["password1"],
                    display_name=data["first_name"],
                    phone=data["phone"],
                    how=_("applicant sign-up in the portal"),
                    request=self.request,
                )
                if not created:
                    # Taken a moment ago by someone else: roll back, leave their account alone.
                    raise IntegrityError("username taken")
        except IntegrityError:
            form.add_error("username", _("This account name is taken; choose another."))
            return self.form_invalid(form)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request,
            _("Your applicant account is ready. Start an application to register an organization."),
        )
        return redirect("portal:applications")


# --- Organization users -------------------------------------------------------------------------


class OrganizationDetailView(OrganizationUserRequiredMixin, DetailView):
    template_name = "portal/organization_detail.html"
    context_object_name = "organization"

    def get_object(self, queryset=None):
        # Another organization's id is simply not in the user's queryset: 404, nothing leaked.
        return get_object_or_404(organizations_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        from partybuilding.ledger.selectors import party_building_glance

        from .next_steps import organization_next_steps

        context = super().get_context_data(**kwargs)
        ending = registration_ending(self.request.user, self.object)
        # R-DEREG-8: an ended registration has no Party-building standing of today to show.
        glance = None if ending else party_building_glance(self.object.pk)
        context.update(
            glance=glance,
            ending=ending,
            next_steps=organization_next_steps(self.request.user, glance),
        )
        return context


def registration_ending(user, organization):
    """The completed deregistration or revocation that ended `organization`'s registration, or
    None while it stands."""
    if organization.registration_ended_on is None:
        return None
    from registry.choices import DeregistrationStatus
    from registry.selectors import deregistrations_visible_to

    return (
        deregistrations_visible_to(user)
        .filter(organization=organization, status=DeregistrationStatus.COMPLETED)
        .first()
    )


# --- Applicants ----------------------------------------------------------------------------


class ApplicationListView(ApplicantRequiredMixin, ListView):
    template_name = "portal/application_list.html"
    context_object_name = "applications"

    def get_queryset(self):
        return own_applications(self.request.user).order_by("-created_at", "-pk")


class ApplicationStartView(ApplicantRequiredMixin, View):
    """POST only: a new draft, its charter and pledge prefilled by the service."""

    http_method_names = ["post"]

    def post(self, request):
        application = application_start(applicant=request.user)
        return redirect("portal:application_edit", pk=application.pk)


class ApplicationDetailView(ApplicantRequiredMixin, OwnApplicationMixin, DetailView):
    template_name = "portal/application_detail.html"
    context_object_name = "application"

    def get_object(self, queryset=None):
        return self.application

    def get_context_data(self, **kwargs):
        application = self.application
        context = super().get_context_data(**kwargs)
        context.update(
            events=application.events.all(),
            member_rows=member_rows(application),
            consequence=application_consequence(application),
            show_remarks=bool(application.remarks)
            and application.status in (ApplicationStatus.RETURNED, ApplicationStatus.REJECTED),
            print_links=print_links(application),
        )
        return context


def print_links(application) -> list[tuple[str, str]]:
    """(label, url) of the application's print-ready pages."""
    links = [
        (_("Charter"), reverse("portal:print_charter", args=[application.pk])),
        (
            _("Party-building pledge of the social organization"),
            reverse("portal:print_pledge", args=[application.pk]),
        ),
    ]
    links += [
        (
            _("Party members of the new social organization (%(copy)s)") % {"copy": marking},
            reverse("portal:print_member_form", args=[application.pk, copy]),
        )
        for copy, marking in COPY_MARKINGS.items()
    ]
    return links
