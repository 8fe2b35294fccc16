from django.contrib import admin
from django.urls import include, path

from portal.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # Staff pages that live beside the admin, before it so its catch-all does not take them.
    path("admin/party-building/", include("partybuilding.urls")),
    path("admin/registration/", include("registry.urls")),
    path("admin/annual-check/", include("annualcheck.urls")),
    path("admin/evaluation/", include("evaluation.urls")),
    path("admin/exports/", include("exports.urls")),
    path("admin/", admin.site.urls),
    path("portal/", include("portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
