"""Write docs/reminder-email.{txt,html}: the reminder the demo firm's most behind attorney would get.

Run on the demo database: FIRMLINK_AS_OF=2021-06-14 .venv/bin/python scripts/sample_emails.py
Nothing is written to the database or sent.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "firmlink.settings.local")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from firmlink import clock  # noqa: E402
from tasks import emails  # noqa: E402
from tasks.models import Reminder  # noqa: E402
from tasks.services import planning, sending  # noqa: E402


def main():
    today = clock.today()
    with transaction.atomic():
        planning.reminders_plan(today=today)
        pending = list(Reminder.objects.filter(due_on__lte=today).values_list("pk", flat=True))
        grouped = sending.reminders_load(pending, today)
        candidates = [sending.reminders_split_due(reminders, today)[0] for reminders in grouped.values()]
        due = max((c for c in candidates if c), key=lambda c: (len({r.link.court.court_id for r in c}), -c[0].pk))
        message = emails.reminder_message(attorney=due[0].link.attorney, reminders=due, today=today)
        transaction.set_rollback(True)
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "reminder-email.txt").write_text(f"Subject: {message.subject}\nTo: {message.to[0]}\n\n{message.body}")
    (docs / "reminder-email.html").write_text(message.alternatives[0][0])
    print(f"wrote docs/reminder-email.txt and .html for {message.to[0]}: {message.subject}")


if __name__ == "__main__":
    main()
