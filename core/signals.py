"""Signals that let a lower layer announce what higher layers may act on, without importing them."""

from django.dispatch import Signal

# A person left the firm: an attorney or a login was made inactive. Arguments: ``name`` (as
# people know them), ``actor`` (core.audit.Actor), ``on`` (the firm's date).
person_left = Signal()
