from django.contrib import admin
from django.urls import include, path

from portal.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("portal/", include("portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
