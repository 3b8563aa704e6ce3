"""Reminders: which occasions are due, and sending each one exactly once.

By concern: ``planning`` (which occasions are due, as rows), ``sending`` (claims, one email
per attorney, retries), ``digest`` (the administrators' daily digest) and ``runs`` (the
daily run that ties them together, as the beat task and ``send_reminders`` start it).

The flow of a daily run (``dispatch``): create the day's ``ReminderRun`` (unique per date, so
two schedulers make one run), plan the due occasions as ``Reminder`` rows (unique per pair
and occasion, so planning twice creates nothing new), then hand attorneys to workers in
batches. A batch claims its rows in a transaction (pending -> sending, SKIP LOCKED), sends
one email per attorney through one SMTP connection and marks the rows sent. Each row is
checked again at sending time: a pair linked since planning, or an occasion superseded by a
newer one (after an outage), is skipped, not sent.

The one window where a message can go out twice is between the SMTP server accepting it and
the database recording that it was sent (a worker killed in those microseconds): a retry
then sends it again. Everywhere else a failure leaves the row to be retried, never lost.
"""
