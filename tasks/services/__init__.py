"""Reminders: which occasions are due, and sending each one exactly once.

By concern: ``planning`` (which occasions are due, as rows), ``sending`` (claims, one email
per attorney, retries), ``digest`` (the administrators' daily digest) and ``runs`` (the
daily run that ties them together, as the beat task and ``send_reminders`` start it).

The flow of a daily run (``runs.dispatch``): create the day's ``ReminderRun`` (unique per date,
so two schedulers make one run), plan the due occasions as ``Reminder`` rows (unique per pair
and occasion, so planning twice creates nothing new), then hand attorneys to workers in
batches. For each attorney, just before their message, a batch claims all of the attorney's
rows or none, renews the lease, sends one email through the batch's SMTP connection and marks
sent only the rows its claim still holds (``sending``). Each row is checked again at sending
time: a pair linked since planning, or an occasion superseded by a newer one (after an
outage), is skipped, not sent. The hourly dispatch resumes what is left, and the run is
counted from its rows (``runs.run_refresh``).

The one window where a message can go out twice is between the SMTP server accepting it and
the database recording it (a worker killed then, or a database away for longer than
FIRMLINK_SEND_RECORD_PATIENCE). Everywhere else a failure leaves the row to be retried, never
lost.
"""
