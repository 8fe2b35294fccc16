"""Review pages beside the admin, mounted before it at admin/registration/."""

from django.urls import path

from . import review_views

app_name = "registry"
urlpatterns = [
    path(
        "applications/<int:pk>/approve/",
        review_views.application_approve,
        name="application_approve",
    ),
    path(
        "applications/<int:pk>/return/", review_views.application_return, name="application_return"
    ),
    path(
        "applications/<int:pk>/reject/", review_views.application_reject, name="application_reject"
    ),
    path(
        "applications/<int:pk>/consent/",
        review_views.application_consent,
        name="application_consent",
    ),
]
