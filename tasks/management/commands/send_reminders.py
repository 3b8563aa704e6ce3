import contextlib
import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from core import clock
from tasks import emails
from tasks.models import EscalationDigest, Reminder, ReminderStatus
from tasks.services import digest, planning, runs, sending


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
        with clock.pinned(as_of) if as_of else contextlib.nullcontext():
            self.run(dry_run, retry_failed)

    def run(self, dry_run, retry_failed):
        today = clock.today()
        if dry_run:
            with transaction.atomic():
                self.preview(today)
                transaction.set_rollback(True)
            return
        if retry_failed:
            self.stdout.write(f"{sending.reminders_retry_failed()} failed reminder(s) back to pending.")
        run, _ = runs.run_start(today)
        plan = planning.reminders_plan(today=today, run=run)
        self.stdout.write(f"Reminders as of {today}: {plan.created} new occasion(s) due.")
        claim = sending.new_claim("command")
        total = sending.BatchResult()
        for batch in planning.chunks(plan.attorney_ids, 100):
            try:
                result = sending.reminders_send_batch(attorney_ids=batch, claim=claim)
            except sending.TransientSendError as exc:
                self.stderr.write(f"stopped, will retry at the next hourly dispatch: {exc}")
                break
            for attorney, subject, reminders in result.messages:
                occasions = ", ".join(f"{r.what} {r.occasion}" for r in reminders)
                self.stdout.write(f"sent to {attorney.email}: {subject} [{occasions}]")
            for problem in result.transient:
                self.stderr.write(f"will retry: {problem}")
            total.sent += result.sent
            total.skipped += result.skipped
            total.failed += result.failed
        try:
            sent = digest.escalation_digest_send(today=today, claim=claim)
        except sending.TransientSendError as exc:
            self.stderr.write(f"administrators' digest not sent, will retry at the next hourly dispatch: {exc}")
            sent = EscalationDigest.objects.get(run_on=today)
            sent.sent_now = False
        if sent.sent_now:
            self.stdout.write(f"administrators' digest sent to {sent.recipients}: {sent.pairs} overdue pair(s)")
        else:
            self.stdout.write(f"administrators' digest: {sent.get_status_display().lower()} ({sent.pairs} overdue)")
        runs.run_refresh(run.pk)
        failed = Reminder.objects.filter(status=ReminderStatus.FAILED).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{total.sent} reminder(s) sent, {total.skipped} skipped, {total.failed} failed now "
                f"({failed} failed in all)."
            )
        )

    def preview(self, today):
        plan = planning.reminders_plan(today=today)
        grouped = sending.reminders_load(
            list(Reminder.objects.filter(status=ReminderStatus.PENDING).values_list("pk", flat=True)), today
        )
        count = 0
        for reminders in grouped.values():
            due, _stale = sending.reminders_split_due(reminders, today)
            if not due:
                continue
            attorney = due[0].attorney
            message = emails.reminder_message(attorney=attorney, reminders=due, today=today)
            occasions = ", ".join(f"{r.what} {r.occasion}" for r in due)
            self.stdout.write(f"would send to {attorney.email}: {message.subject} [{occasions}]")
            count += len(due)
        overdue = digest.overdue_pairs(today).count()
        self.stdout.write(f"would send the administrators' digest: {overdue} overdue pair(s)")
        self.stdout.write(
            self.style.SUCCESS(f"Dry run as of {today}: {count} reminder(s) would be sent ({plan.created} new).")
        )
