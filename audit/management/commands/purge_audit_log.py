import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.services import audit_purge


class Command(BaseCommand):
    help = "Purge audit records older than DATE (never younger than 180 days)."

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, type=datetime.date.fromisoformat)

    def handle(self, *args, before, **options):
        try:
            count = audit_purge(before=before)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(_("%(count)s audit records purged.") % {"count": count})
