import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from campaigns.roster import RosterError, roster_import
from core.audit import Actor


class Command(BaseCommand):
    help = (
        "Import the firm's roster (one row per attorney-court pair) from a CSV file, all or nothing. "
        "Columns: attorney_name, attorney_email, court_id; optional efiling_account, new_to_court, "
        "bar_number, pacer_username, pacer_account, pacer_individual, and the campaigns' columns "
        "(PACER MFA: mfa_email_confirmed_on, authenticator_holders, mfa_enrolled_on, backup_codes_place, "
        "pacer_vendor). Exit status 2 when refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.stderr.write(f"{path}: {exc.strerror}")
            sys.exit(2)
        try:
            plan = roster_import(data, filename=path.name, actor=Actor.importer(path.name), dry_run=dry_run)
        except RosterError as exc:
            self.stderr.write(f"{path.name}: refused, nothing was imported ({len(exc.errors)} problem(s)):")
            for error in exc.errors:
                self.stderr.write(f"  {error}")
            sys.exit(2)
        for line in plan.kept:
            self.stdout.write(f"note: {line}")
        if dry_run:
            for item in plan.new_attorneys:
                self.stdout.write(f"would add attorney {item['email']} ({item['name']})")
            for attorney, field, old, new in plan.attorney_changes:
                self.stdout.write(f"would change {attorney.email} {field}: {old!r} -> {new!r}")
            for email, court_id, _fields in plan.new_pairs:
                self.stdout.write(f"would add {court_id} for {email}")
            for link, field, old, new in plan.pair_changes:
                self.stdout.write(
                    f"would change {link.court.court_id} for {link.attorney.email} {field}: {old} -> {new}"
                )
            for email, what, old, new in plan.campaign_changes:
                self.stdout.write(f"would record {what} for {email}: {old or '—'} -> {new}")
            self.stdout.write(self.style.SUCCESS(f"Dry run, nothing written. {plan.summary()}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {path.name}. {plan.summary()}."))
