import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from firmlink import clock
from tasks import emails, services
from tasks.models import Reminder, ReminderStatus


class Command(BaseCommand):
    help = (
        "Run today's reminders synchronously, with the same code as the Celery job, and print what "
        "was sent. Each due occasion is sent once: running it again the same day sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, help="Run as of this date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; send and write nothing.")
        parser.add_argument("--retry-failed", action="store_true", help="Put failed reminders back to pending first.")

    def handle(self, *args, as_of, dry_run, retry_failed, **options):
        if as_of:
            with override_settings(FIRMLINK_AS_OF=as_of):
                self.run(dry_run, retry_failed)
        else:
            self.run(dry_run, retry_failed)

    def run(self, dry_run, retry_failed):
        today = clock.today()
        if dry_run:
            with transaction.atomic():
                self.preview(today)
                transaction.set_rollback(True)
            return
        if retry_failed:
            self.stdout.write(f"{services.reminders_retry_failed()} failed reminder(s) back to pending.")
        run, _ = services.run_start(today)
        plan = services.reminders_plan(today=today, run=run)
        self.stdout.write(f"Reminders as of {today}: {plan.created} new occasion(s) due.")
        claim = services.new_claim("command")
        total = services.BatchResult()
        for batch in services.chunks(plan.attorney_ids, 100):
            result = services.reminders_send_batch(attorney_ids=batch, claim=claim)
            for attorney, subject, reminders in result.messages:
                occasions = ", ".join(f"{r.link.court.court_id} {r.occasion}" for r in reminders)
                self.stdout.write(f"sent to {attorney.email}: {subject} [{occasions}]")
            for problem in result.transient:
                self.stderr.write(f"will retry: {problem}")
            total.sent += result.sent
            total.skipped += result.skipped
            total.failed += result.failed
        digest = services.escalation_digest_send(today=today, claim=claim)
        if digest.sent_now:
            self.stdout.write(f"administrators' digest sent to {digest.recipients}: {digest.pairs} overdue pair(s)")
        else:
            self.stdout.write(f"administrators' digest: {digest.get_status_display().lower()} ({digest.pairs} overdue)")
        failed = Reminder.objects.filter(status=ReminderStatus.FAILED).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{total.sent} reminder(s) sent, {total.skipped} skipped, {total.failed} failed now "
                f"({failed} failed in all)."
            )
        )

    def preview(self, today):
        plan = services.reminders_plan(today=today)
        grouped = services.reminders_load(
            list(Reminder.objects.filter(status=ReminderStatus.PENDING).values_list("pk", flat=True)), today
        )
        count = 0
        for reminders in grouped.values():
            due, _stale = services.reminders_split_due(reminders, today)
            if not due:
                continue
            attorney = due[0].link.attorney
            message = emails.reminder_message(attorney=attorney, reminders=due, today=today)
            occasions = ", ".join(f"{r.link.court.court_id} {r.occasion}" for r in due)
            self.stdout.write(f"would send to {attorney.email}: {message.subject} [{occasions}]")
            count += len(due)
        overdue = services.overdue_pairs(today).count()
        self.stdout.write(f"would send the administrators' digest: {overdue} overdue pair(s)")
        self.stdout.write(
            self.style.SUCCESS(f"Dry run as of {today}: {count} reminder(s) would be sent ({plan.created} new).")
        )
