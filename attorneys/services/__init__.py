"""Writes on attorneys, pairs and courts; each one in a transaction, with its history rows.

- ``history``: the one writer of the append-only history (one row, or many at once).
- ``steps``: recording a step on a pair or an attorney, under the rules of the court documents.
- ``records``: the roster's records (attorneys, the courts each files in), one or in bulk.
- ``court_facts``: a court's go-live corrections, directory loads and PACER feed refreshes,
  which land in the history.
"""
