from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.PortalPasswordChangeView.as_view(), name="password_change"),
]
