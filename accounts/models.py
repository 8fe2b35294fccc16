from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.validators import validate_phone

from . import roles


class User(AbstractUser):
    """A person or an organization's account. Organization users log in with the credit code."""

    supervisory_unit = models.ForeignKey(
        "registry.SupervisoryUnit",
        verbose_name=_("business supervisory unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("For supervisory-unit users: the unit whose organizations they see."),
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("For organization users: the one organization they act for."),
    )
    phone = models.CharField(
        _("mobile phone"),
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text=_("For applicants: how the registration authority reaches them."),
    )
    # Identity policy (issue 8). A password someone else chose (a clerk, an approval, an
    # administrator) must be replaced by the user at the next login.
    password_change_required = models.BooleanField(
        _("must change password at next login"), default=False
    )
    password_changed_at = models.DateTimeField(_("password last changed"), null=True, blank=True)
    # Accounts seed_demo made: exempt from the forced change and from two-factor set-up, but
    # only while settings.DEMO_MODE is on (accounts.policy.demo_exempt).
    demo_account = models.BooleanField(_("demo account"), default=False, editable=False)
    # The one session this account may have (a new login ends the others): a keyed digest of
    # the random marker that session carries (accounts.session_policy), never a session key, so
    # nothing stored here can be turned back into a session.
    session_marker_digest = models.CharField(
        _("current session (digest)"), max_length=64, blank=True, editable=False
    )
    # Who last set this account's password for its holder, and when (accounts.services.
    # password_issue): the holder is told at their next login.
    password_set_by = models.ForeignKey(
        "self",
        verbose_name=_("password last set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    password_set_at = models.DateTimeField(
        _("password last set by someone else at"), null=True, blank=True, editable=False
    )
    # Set when someone else set the password: whoever holds that password may not set up a new
    # authenticator until a security administrator approves it (accounts.two_factor).
    two_factor_setup_needs_approval = models.BooleanField(
        _("two-factor set-up awaits the security administrator"), default=False, editable=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Held by the security administrator (三员分立): roles and rights, not the accounts.
        permissions = [
            ("assign_roles", _("Can assign roles and permissions to users")),
            ("reset_two_factor", _("Can reset a user's two-factor authentication")),
            ("unlock_account", _("Can unlock an account locked after failed logins")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(supervisory_unit__isnull=True) | Q(organization__isnull=True),
                name="user_one_scope_only",
                violation_error_message=_(
                    "A user is linked to a supervisory unit or an organization, not both."
                ),
            ),
        ]

    @cached_property
    def role_names(self) -> set[str]:
        by_group = {name: role for role, name in roles.GROUP_NAMES.items()}
        return {by_group[g] for g in self.groups.values_list("name", flat=True) if g in by_group}

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.role_names

    @property
    def is_clerk(self) -> bool:
        return self.is_superuser or self.has_role(roles.CLERK)


# The failed-login lockout's rows (accounts.lockout) live in their own module.
from .lockout_models import AccountLock, LoginFailure  # noqa: E402, F401
