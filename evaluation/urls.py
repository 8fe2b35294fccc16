"""Evaluation pages beside the admin, mounted before it at admin/evaluation/."""

from django.urls import path

from . import review_views

app_name = "evaluation"
urlpatterns = [
    path("open/", review_views.open_evaluation, name="open"),
    path("evaluations/<int:pk>/score/", review_views.score, name="score"),
    path("evaluations/<int:pk>/decide/", review_views.decide, name="decide"),
    path("expiring/", review_views.expiring, name="expiring"),
    path("statistics/", review_views.statistics, name="statistics"),
    path("results.xlsx", review_views.results_download, name="results_download"),
]
