from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_verify

PROBLEMS = {
    "altered": gettext_lazy(
        "Audit record #%(sequence)s was altered (its hash does not match its fields)."
    ),
    "removed": gettext_lazy("Audit record #%(sequence)s was removed (the chain skips it)."),
    "inserted": gettext_lazy(
        "Audit record #%(sequence)s was inserted (it does not follow the one before)."
    ),
}


class Command(BaseCommand):
    help = "Walk the audit log's hash chain; name the first record altered, removed or inserted."

    def handle(self, *args, **options):
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                str(PROBLEMS[result.problem]) % {"sequence": result.sequence}
                + " "
                + _("%(count)s records before it are intact.") % {"count": result.count}
            )
        self.stdout.write(_("OK: %(count)s audit records verified.") % {"count": result.count})
