from django.contrib.auth import views as auth_views
from django.urls import path

from . import (
    annual_check_views,
    annual_check_wizard,
    change_views,
    change_wizard,
    credit_views,
    deregistration_views,
    evaluation_views,
    notification_views,
    print_views,
    views,
    wizards,
)

app_name = "portal"
urlpatterns = [
    path("", views.PortalHomeView.as_view(), name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.ApplicantSignupView.as_view(), name="signup"),
    path("organizations/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization"),
    # Everyone's own notifications (消息), never another's (404).
    path("notifications/", notification_views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/read/",
        notification_views.NotificationReadView.as_view(),
        name="notifications_read",
    ),
    path(
        "notifications/<int:pk>/",
        notification_views.NotificationOpenView.as_view(),
        name="notification",
    ),
    # Applicants: their own registration applications only.
    path("applications/", views.ApplicationListView.as_view(), name="applications"),
    path("applications/new/", views.ApplicationStartView.as_view(), name="application_start"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application"),
    path(
        "applications/<int:pk>/edit/",
        wizards.ApplicationWizard.as_view(url_name="portal:application_wizard"),
        name="application_edit",
    ),
    path(
        "applications/<int:pk>/edit/<str:step>/",
        wizards.ApplicationWizard.as_view(url_name="portal:application_wizard"),
        name="application_wizard",
    ),
    # Print-ready pages: any user who may see the application (staff too, from the admin).
    path(
        "applications/<int:pk>/print/charter/",
        print_views.CharterPrintView.as_view(),
        name="print_charter",
    ),
    path(
        "applications/<int:pk>/print/pledge/",
        print_views.PledgePrintView.as_view(),
        name="print_pledge",
    ),
    path(
        "applications/<int:pk>/print/member-form/<str:copy>/",
        print_views.MemberFormPrintView.as_view(),
        name="print_member_form",
    ),
    # Organizations: their own annual checks (R-AC-1..5).
    path("annual-checks/", annual_check_views.AnnualCheckListView.as_view(), name="annual_checks"),
    path(
        "annual-checks/start/",
        annual_check_views.AnnualCheckStartView.as_view(),
        name="annual_check_start",
    ),
    path(
        "annual-checks/<int:pk>/",
        annual_check_views.AnnualCheckDetailView.as_view(),
        name="annual_check",
    ),
    path(
        "annual-checks/<int:pk>/edit/",
        annual_check_wizard.AnnualCheckWizard.as_view(url_name="portal:annual_check_wizard"),
        name="annual_check_edit",
    ),
    path(
        "annual-checks/<int:pk>/edit/<str:step>/",
        annual_check_wizard.AnnualCheckWizard.as_view(url_name="portal:annual_check_wizard"),
        name="annual_check_wizard",
    ),
    path(
        "annual-checks/<int:pk>/rectifications/<int:rectification_pk>/answer/",
        annual_check_views.RectificationAnswerView.as_view(),
        name="annual_check_answer",
    ),
    # Print-ready report: any user who may see the check (staff too, from the admin).
    path(
        "annual-checks/<int:pk>/print/",
        annual_check_views.AnnualCheckPrintView.as_view(),
        name="annual_check_print",
    ),
    # Organizations: their own grade evaluations (R-EV-1..5).
    path("evaluations/", evaluation_views.EvaluationListView.as_view(), name="evaluations"),
    path(
        "evaluations/apply/",
        evaluation_views.EvaluationApplyView.as_view(),
        name="evaluation_apply",
    ),
    path(
        "evaluations/<int:pk>/",
        evaluation_views.EvaluationDetailView.as_view(),
        name="evaluation",
    ),
    # Organizations: their own change applications and charter amendments (R-CHG-1..7).
    path("changes/", change_views.ChangeListView.as_view(), name="changes"),
    path("changes/new/", change_views.ChangeStartView.as_view(), name="change_start"),
    path("changes/<int:pk>/", change_views.ChangeDetailView.as_view(), name="change"),
    path("changes/<int:pk>/file/", change_views.ChangeFileView.as_view(), name="change_file"),
    path(
        "changes/<int:pk>/edit/",
        change_wizard.ChangeWizard.as_view(url_name="portal:change_wizard"),
        name="change_edit",
    ),
    path(
        "changes/<int:pk>/edit/<str:step>/",
        change_wizard.ChangeWizard.as_view(url_name="portal:change_wizard"),
        name="change_wizard",
    ),
    # Print-ready application form: any user who may see the application.
    path("changes/<int:pk>/print/", change_views.ChangePrintView.as_view(), name="change_print"),
    # Organizations: their own deregistration (R-DEREG-1..4) and the notice once decided.
    path(
        "deregistrations/",
        deregistration_views.DeregistrationListView.as_view(),
        name="deregistrations",
    ),
    path(
        "deregistrations/start/",
        deregistration_views.DeregistrationStartView.as_view(),
        name="deregistration_start",
    ),
    path(
        "deregistrations/<int:pk>/",
        deregistration_views.DeregistrationDetailView.as_view(),
        name="deregistration",
    ),
    path(
        "deregistrations/<int:pk>/edit/",
        deregistration_views.DeregistrationWizard.as_view(url_name="portal:deregistration_wizard"),
        name="deregistration_edit",
    ),
    path(
        "deregistrations/<int:pk>/edit/<str:step>/",
        deregistration_views.DeregistrationWizard.as_view(url_name="portal:deregistration_wizard"),
        name="deregistration_wizard",
    ),
    path(
        "deregistrations/<int:pk>/print/notice/",
        deregistration_views.DeregistrationNoticeView.as_view(),
        name="print_deregistration_notice",
    ),
    # Organizations: their own credit listings (R-CR-7..9, R-CR-13), answers and removal requests.
    path("credit/", credit_views.CreditEntryListView.as_view(), name="credit_entries"),
    path("credit/<int:pk>/", credit_views.CreditEntryDetailView.as_view(), name="credit_entry"),
    path(
        "credit/<int:pk>/answer/",
        credit_views.CreditAnswerView.as_view(),
        name="credit_entry_answer",
    ),
    path(
        "credit/<int:pk>/removal/",
        credit_views.CreditRemovalRequestView.as_view(),
        name="credit_entry_removal",
    ),
]
