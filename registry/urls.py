"""Review pages beside the admin, mounted before it at admin/registration/."""

from django.urls import path

from . import certificate_views, change_review_views, deregistration_views, review_views

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
    # Change registration and charter amendments (R-CHG-1..7).
    path("changes/<int:pk>/approve/", change_review_views.change_approve, name="change_approve"),
    path("changes/<int:pk>/return/", change_review_views.change_return, name="change_return"),
    path("changes/<int:pk>/reject/", change_review_views.change_reject, name="change_reject"),
    path("changes/<int:pk>/consent/", change_review_views.change_consent, name="change_consent"),
    # Registration certificates (R-CERT-1..5).
    path(
        "certificates/<int:pk>/print/",
        certificate_views.certificate_print,
        name="certificate_print",
    ),
    path(
        "organizations/<int:pk>/certificates/issue/",
        certificate_views.certificates_reissue,
        name="certificates_issue",
    ),
    # Deregistration and revocation (R-DEREG-1..9).
    path(
        "deregistrations/<int:pk>/consent/",
        deregistration_views.deregistration_consent,
        name="deregistration_consent",
    ),
    path(
        "deregistrations/<int:pk>/return/",
        deregistration_views.deregistration_return,
        name="deregistration_return",
    ),
    path(
        "deregistrations/<int:pk>/reject/",
        deregistration_views.deregistration_reject,
        name="deregistration_reject",
    ),
    path(
        "deregistrations/<int:pk>/complete/",
        deregistration_views.deregistration_complete,
        name="deregistration_complete",
    ),
    path(
        "organizations/<int:pk>/revoke/",
        deregistration_views.organization_revoke,
        name="organization_revoke",
    ),
]
