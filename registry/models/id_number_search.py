"""Searches by a full resident ID number (R-ID-2), kept for an hour to count them per user."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdNumberSearch(models.Model):
    """One search by a full ID number. A user who sees numbers masked may make only so many an
    hour (settings.REGISTRY["ID_NUMBER_SEARCHES_PER_HOUR"]); the audit log keeps them all."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )
    at = models.DateTimeField(_("time of search"))

    class Meta:
        verbose_name = _("ID number search")
        verbose_name_plural = _("ID number searches")
        indexes = [models.Index(fields=["user", "at"], name="id_number_search_user_at")]

    def __str__(self):
        return f"{self.user_id} @ {self.at:%Y-%m-%d %H:%M:%S}"
