from django.urls import path

from . import dashboard, export_views, views

app_name = "partybuilding"
urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/download/", export_views.ledger_download, name="ledger_download"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("ledger/import/", views.ledger_import, name="ledger_import"),
    path("joint-suggestions/", views.joint_suggestions, name="joint_suggestions"),
]
