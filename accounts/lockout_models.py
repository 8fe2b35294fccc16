"""Rows behind the failed-login lockout (accounts.lockout). Kept by login name, not by user:
a name that has no account is counted the same, so the lockout says nothing about which
accounts exist."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginFailure(models.Model):
    """One failed login. Failures within the window count towards a lock; a success or an
    unlock clears them."""

    username = models.CharField(_("username"), max_length=150)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time of failure"))

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        indexes = [models.Index(fields=["username", "at"], name="login_failure_name_at")]

    def __str__(self):
        return f"{self.username} @ {self.at:%Y-%m-%d %H:%M:%S}"


class AccountLock(models.Model):
    """A login name refused until `locked_until`, whatever password is given."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    locked_at = models.DateTimeField(_("locked at"))
    locked_until = models.DateTimeField(_("locked until"), db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("account lock")
        verbose_name_plural = _("account locks")

    def __str__(self):
        return f"{self.username} → {self.locked_until:%Y-%m-%d %H:%M}"
