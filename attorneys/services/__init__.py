"""Writes on attorneys, pairs and courts; each one in a transaction, with its history rows.

- ``history``: the one writer of the append-only history (one row, or many at once).
- ``steps``: recording a step on a pair or an attorney, under the rules of the court documents.
- ``records``: the roster's records (attorneys, the courts each files in), one or in bulk.
- ``golive``: corrections of a court's go-live date and directory loads, which land in history.
"""
