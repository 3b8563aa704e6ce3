import datetime

from django.core.management.base import BaseCommand, CommandError

from attorneys.demo import DEMO_AS_OF, demo_firm_exists, seed_demo_firm
from campaigns.demo import seed_campaign_progress, seed_pair_campaigns
from core import clock


class Command(BaseCommand):
    help = (
        "Create a deterministic demo firm on the real court directory, as of the installation's date "
        f"(FIRMLINK_AS_OF; 'make run' uses {DEMO_AS_OF.isoformat()}, in the middle of the transition)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--attorneys", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help="The demo firm's date (default: the installation's today, FIRMLINK_AS_OF or the real date).",
        )
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
        as_of = as_of or clock.today()
        result = seed_demo_firm(attorneys=attorneys, seed=seed, as_of=as_of)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo firm: {result.attorneys} attorneys, {result.links} attorney-court pairs as of {as_of}."
            )
        )
        for status, count in result.statuses.items():
            self.stdout.write(f"  {status:<20} {count}")
        steps = seed_campaign_progress(as_of=as_of, seed=seed)
        if steps:
            self.stdout.write(self.style.SUCCESS("PACER MFA steps recorded:"))
            for step, count in steps.items():
                self.stdout.write(f"  {step:<20} {count}")
        recorded = seed_pair_campaigns(as_of=as_of, seed=seed)
        if any(recorded.values()):
            self.stdout.write(self.style.SUCCESS("Steps per attorney and court recorded:"))
            for name, count in recorded.items():
                self.stdout.write(f"  {name:<20} {count}")
