"""The one date the suite pins the installation to: the demo firm's day, in the middle of the
real NextGen transition (past, imminent and later cutovers all exist on it)."""

from attorneys.demo import DEMO_AS_OF

AS_OF = DEMO_AS_OF
