import datetime

from django.core.management.base import BaseCommand, CommandError

from attorneys.demo import DEMO_AS_OF, demo_firm_exists, seed_demo_firm


class Command(BaseCommand):
    help = (
        "Create a deterministic demo firm on the real court directory. Run the installation "
        f"with FIRMLINK_AS_OF={DEMO_AS_OF.isoformat()} (what 'make run' does) to see it as of that day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--attorneys", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=DEMO_AS_OF)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing (successfully) when attorneys already exist."
        )

    def handle(self, *args, attorneys, seed, as_of, if_empty, **options):
        if demo_firm_exists():
            if if_empty:
                self.stdout.write("Attorneys already exist: demo firm not seeded.")
                return
            raise CommandError("The roster is not empty: seed_demo only fills an empty database.")
        if attorneys < 1:
            raise CommandError("--attorneys must be at least 1.")
        result = seed_demo_firm(attorneys=attorneys, seed=seed, as_of=as_of)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo firm: {result.attorneys} attorneys, {result.links} attorney-court pairs as of {as_of}."
            )
        )
        for status, count in result.statuses.items():
            self.stdout.write(f"  {status:<20} {count}")
