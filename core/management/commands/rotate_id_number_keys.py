from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext, pgettext

from core.id_numbers import IdNumberKeyError, configuration_errors, id_numbers_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored resident ID number under the first key of "
        "DJANGO_ID_NUMBER_KEYS and recompute its digest under DJANGO_ID_NUMBER_HASH_KEY, in one "
        "transaction (README: 身份证号密钥轮换)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        errors = configuration_errors()
        if errors:
            raise CommandError("\n".join(errors))
        try:
            with transaction.atomic(using=database):
                counts = id_numbers_rotate(connections[database])
        except IdNumberKeyError as error:
            raise CommandError(
                gettext("%(error)s Nothing was changed.") % {"error": error}
            ) from error
        total = sum(counts.values())
        details = pgettext("between counts", ", ").join(
            gettext("%(table)s: %(count)s rows") % {"table": table, "count": count}
            for table, count in counts.items()
        )
        self.stdout.write(
            gettext(
                "Re-encrypted %(total)s resident ID numbers under the current key (%(details)s)."
            )
            % {"total": total, "details": details}
        )
