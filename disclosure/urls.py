from django.urls import path, re_path
from django.views.generic import RedirectView

from . import views

app_name = "disclosure"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="disclosure:search")),
    path("organizations/", views.search, name="search"),
    path("organizations/<str:credit_code>/", views.profile, name="profile"),
    # Anything else under /public/: the same plain 404 in Chinese.
    re_path(r"^(?!certificates/).*$", views.unknown_page),
]
