from django.contrib import admin
from django.urls import include, path

from accounts.views import admin_own_password_change
from portal.views import HomeView
from registry.certificate_views import certificate_check

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # Staff pages that live beside the admin, before it so its catch-all does not take them.
    path("admin/party-building/", include("partybuilding.urls")),
    path("admin/registration/", include("registry.urls")),
    path("admin/annual-check/", include("annualcheck.urls")),
    path("admin/evaluation/", include("evaluation.urls")),
    path("admin/credit/", include("credit.urls")),
    path("admin/exports/", include("exports.urls")),
    path("admin/notifications/", include("notifications.urls")),
    path("accounts/two-factor/", include("accounts.two_factor_urls")),
    # The admin's own-password page with our form (it meets a pending forced change).
    path("admin/password_change/", admin_own_password_change),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("portal/", include("portal.urls")),
    # The department sharing API (R-API): token-authenticated, read-only JSON and its OpenAPI.
    path("api/v1/", include("sharing.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Public, no login: what a registration certificate's QR code leads to (R-CERT-4).
    path("public/certificates/<str:token>/", certificate_check, name="certificate_check"),
    # Public, no login: search and profiles of social organizations (信息公开, R-CR-17).
    path("public/", include("disclosure.urls")),
]
