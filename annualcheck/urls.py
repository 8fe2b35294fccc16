"""Annual-check pages beside the admin, mounted before it at admin/annual-check/."""

from django.urls import path

from . import review_views

app_name = "annualcheck"
urlpatterns = [
    path("checks/<int:pk>/pre-review/", review_views.pre_review, name="pre_review"),
    path("checks/<int:pk>/return/", review_views.return_check, name="return"),
    path("checks/<int:pk>/review/", review_views.review, name="review"),
    path(
        "rectifications/<int:pk>/reopen/",
        review_views.rectification_reopen,
        name="rectification_reopen",
    ),
    path("revocation-review/", review_views.revocation_review, name="revocation_review"),
    path("results.xlsx", review_views.results_download, name="results_download"),
]
