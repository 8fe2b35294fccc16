from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

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
            raise CommandError(f"{error}未作任何改动。") from error
        total = sum(counts.values())
        details = "，".join(f"{table} {count} 条" for table, count in counts.items())
        self.stdout.write(f"已用当前密钥重新加密 {total} 个身份证号（{details}）。")
