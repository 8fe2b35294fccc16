from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("accounts and roles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from audit import receivers as audit_receivers

        from . import lockout, roles, services, session_policy
        from .signals import account_locked, account_unlocked

        # Groups need the permissions that post_migrate creates, so they are made after it.
        post_migrate.connect(roles.ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
        user_logged_in.connect(lockout.on_logged_in, dispatch_uid="accounts.lockout_cleared")
        user_logged_in.connect(session_policy.on_logged_in, dispatch_uid="accounts.one_session")
        user_logged_in.connect(
            services.on_logged_in_announce_password_set,
            dispatch_uid="accounts.announce_password_set",
        )
        # Accounts sits above audit (docs/architecture.md): it hands its own signals to the
        # audit log's receivers, audit knows nothing of accounts.
        account_locked.connect(audit_receivers.on_locked_out, dispatch_uid="audit_locked_out")
        account_unlocked.connect(audit_receivers.on_unlocked, dispatch_uid="audit_unlocked")
