from django.core.exceptions import ValidationError


class StepRefused(ValidationError):
    """The rules forbid this change; the message says why, in words for the user."""
