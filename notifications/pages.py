"""What the portal's 消息 page and the admin's share: one page of the user's notifications,
marking read, opening one. Another user's notification is a 404, never a 403."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme

from .selectors import notifications_visible_to
from .services import mark_all_read, mark_read

PAGE_SIZE = 30


def notification_page(request):
    return Paginator(notifications_visible_to(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )


def mark_read_from_post(request) -> int:
    """The list's form: the ticked ids, or every unread one with `all`."""
    if request.POST.get("all"):
        return mark_all_read(request.user)
    return mark_read(request.user, request.POST.getlist("ids"))


def open_notification(request, pk, *, fallback: str):
    """Mark the user's own notification read and go to what it is about (a path inside the
    site only), or back to the list."""
    notification = get_object_or_404(notifications_visible_to(request.user), pk=pk)
    mark_read(request.user, [notification.pk])
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return redirect(link)
    return redirect(fallback)
