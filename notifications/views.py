"""The staff side of the notification log, beside the admin (admin/notifications/)."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .pages import mark_read_from_post, notification_page, open_notification


@staff_member_required
def notification_list(request):
    return render(
        request,
        "notifications/admin_list.html",
        {
            **admin.site.each_context(request),
            "title": _("Messages"),
            "page": notification_page(request),
        },
    )


@staff_member_required
@require_POST
def notification_mark_read(request):
    mark_read_from_post(request)
    return redirect("notifications:list")


@staff_member_required
def notification_open(request, pk):
    return open_notification(request, pk, fallback=reverse("notifications:list"))
