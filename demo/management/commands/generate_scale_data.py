from django.core.management.base import BaseCommand, CommandError

from demo.scale import AlreadyFilled, generate


class Command(BaseCommand):
    help = (
        "Fill the database with N realistic organizations, their Party members, Party "
        "organizations, dispatches, annual checks and evaluations, in bulk (for benchmarks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, required=True, help="how many (N)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed, the same data")
        parser.add_argument(
            "--append", action="store_true", help="add to the organizations already there"
        )

    def handle(self, *args, organizations, seed, append, **options):
        if organizations < 1:
            raise CommandError("--organizations 应为正整数 / must be a positive number.")
        self.stdout.write(f"生成 {organizations:,} 家社会组织（seed {seed}）…")
        try:
            generate(organizations, seed=seed, append=append, log=self.stdout.write)
        except AlreadyFilled as error:
            count = error.args[0]
            raise CommandError(
                f"数据库中已有 {count:,} 家社会组织：如需追加，请加 --append。"
                f" / {count:,} organizations already exist: add --append to add more."
            ) from None
