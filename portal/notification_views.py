"""The portal's 消息 page: the user's own notifications (notifications.pages)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from notifications.pages import mark_read_from_post, notification_page, open_notification

from .views import PortalUserRequiredMixin


class NotificationListView(PortalUserRequiredMixin, TemplateView):
    template_name = "portal/notifications.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page": notification_page(self.request)}


class NotificationReadView(PortalUserRequiredMixin, View):
    def post(self, request):
        mark_read_from_post(request)
        return redirect("portal:notifications")


class NotificationOpenView(LoginRequiredMixin, View):
    """Anyone's own notification (staff land on their list beside the admin); another's is a
    404."""

    def get(self, request, pk):
        fallback = "notifications:list" if request.user.is_staff else "portal:notifications"
        return open_notification(request, pk, fallback=reverse(fallback))
