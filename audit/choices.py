from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("login")
    LOGOUT = "logout", _("logout")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOCKOUT = "lockout", _("account locked out")
    UNLOCK = "unlock", _("account unlocked")
    PERMISSION_CHANGE = "permission_change", _("permission change")
    ROLE_CHANGE = "role_change", _("role change")
    EXPORT = "export", _("export")
    UNMASKED_VIEW = "unmasked_view", _("unmasked ID number view")
    DATA_CHANGE = "data_change", _("data change")
    TWO_FACTOR = "two_factor", _("two-factor authentication")
    ID_NUMBER_SEARCH = "id_number_search", _("search by ID number")
