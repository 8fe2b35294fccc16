from django.urls import path

from . import two_factor_views as views

app_name = "two_factor"

urlpatterns = [
    path("", views.ManageView.as_view(), name="manage"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("setup/", views.SetupView.as_view(), name="setup"),
    path("setup/qr.svg", views.QrCodeView.as_view(), name="qr"),
    path("recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("turn-off/", views.TurnOffView.as_view(), name="turn_off"),
]
