"""The list entries' review pages, mounted before the admin at admin/credit/."""

from django.urls import path

from . import review_views

app_name = "credit"
urlpatterns = [
    path("entries/propose/", review_views.propose, name="propose"),
    path("entries/<int:pk>/confirm/", review_views.confirm, name="confirm"),
    path("entries/<int:pk>/dismiss/", review_views.dismiss, name="dismiss"),
    path("entries/<int:pk>/remove/", review_views.remove, name="remove"),
    path("entries/<int:pk>/refuse/", review_views.refuse, name="refuse"),
    path("answers/<int:pk>/reply/", review_views.reply, name="reply"),
]
