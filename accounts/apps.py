from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("accounts and roles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import lockout, roles, services, session_policy

        # Groups need the permissions that post_migrate creates, so they are made after it.
        post_migrate.connect(roles.ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
        user_logged_in.connect(lockout.on_logged_in, dispatch_uid="accounts.lockout_cleared")
        user_logged_in.connect(session_policy.on_logged_in, dispatch_uid="accounts.one_session")
        user_logged_in.connect(
            services.on_logged_in_announce_password_set,
            dispatch_uid="accounts.announce_password_set",
        )
