"""The shared kernel: what every other package may use and which uses none of them.

The clock (firm time zone, ``FIRMLINK_AS_OF``, ``pinned``), roles, who-did-it primitives for
the history (``Actor``, ``StepSource``, ``display_value``), the refusal every rule raises
(``StepRefused``), spreadsheet-safe CSV, and two small bases (a time-stamped model, a
read-only admin). Nothing here knows about attorneys, courts or reminders.
"""
