"""Installation: the three administrators (三员分立), each with a one-time password.

`createsuperuser` is for installing only: the superuser creates nothing by hand, runs this
three times, and is then deactivated (README, "三员分立")."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext

from accounts import roles
from accounts.models import User
from accounts.services import password_generate, user_ensure

ROLES = {
    "system": roles.SYSTEM_ADMIN,
    "security": roles.SECURITY_ADMIN,
    "audit": roles.AUDIT_ADMIN,
}


class Command(BaseCommand):
    help = (
        "Create a system, security or audit administrator with a one-time password, "
        "which must be changed at the first login."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--name", default="", help="the person's name, shown in the log")

    @transaction.atomic
    def handle(self, *args, username, role, name, **options):
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            held = "、".join(roles.GROUP_NAMES[r] for r in sorted(existing.role_names))
            raise CommandError(
                gettext(
                    "The account %(username)s exists already (roles: %(roles)s): choose another "
                    "username, or have the security administrator change its roles in the admin."
                )
                % {"username": username, "roles": held or gettext("none")}
            )
        password = password_generate()
        user, _created = user_ensure(
            username=username,
            role=ROLES[role],
            password=password,
            display_name=name,
            how="create_administrator",
        )
        user.password_change_required = True
        user.save(update_fields=["password_change_required"])
        label = roles.GROUP_NAMES[ROLES[role]]
        self.stdout.write(
            gettext("Created %(role)s %(username)s, one-time password: %(password)s")
            % {"role": label, "username": username, "password": password}
        )
        self.stdout.write(
            gettext("The first sign-in changes the password and sets up two-factor authentication.")
        )
