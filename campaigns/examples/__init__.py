"""Example definitions of a firm's own campaigns: not registered unless named in
``FIRMLINK_EXTRA_CAMPAIGNS`` (see the README, "Adding a campaign")."""
