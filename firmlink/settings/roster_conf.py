"""Roster imports: limits that keep a hostile or mistaken file from tying up a web worker."""

from .environment import env

# Roster imports: bigger files or more rows are refused at once; at most this many problems listed.
FIRMLINK_ROSTER_MAX_BYTES = env.int("FIRMLINK_ROSTER_MAX_BYTES", default=20_000_000)  # 20 MB
FIRMLINK_ROSTER_MAX_ROWS = env.int("FIRMLINK_ROSTER_MAX_ROWS", default=100_000)
FIRMLINK_ROSTER_MAX_ERRORS = env.int("FIRMLINK_ROSTER_MAX_ERRORS", default=50)
# A preview not applied within this many hours (or replaced by the same user's next upload) is
# dropped: its file is deleted, its summary kept.
FIRMLINK_ROSTER_PREVIEW_HOURS = env.int("FIRMLINK_ROSTER_PREVIEW_HOURS", default=24)
