"""Free text that looks like it carries a password is refused at entry: Firmlink never stores one.

A credential word (password, passwd, pwd, pw, passcode, passphrase, PIN, secret, credentials)
followed by a value: after ":" or "=" any value; after "is", "was" or nothing, a value that
looks like a secret (a digit, a symbol or mixed case), so that "the password was reset" or "an
upgraded PACER account" pass.
"""

import re

from django.core.exceptions import ValidationError

_WORD = r"(?:pass(?:word|wd|code|phrase)s?|pwd|pw|pin|secret|credentials?|pass(?=\s*[:=]))"
_EXPLICIT = re.compile(rf"\b{_WORD}\s*[:=]\s*(\S+)", re.IGNORECASE)
_SPOKEN = re.compile(rf"\b{_WORD}\b(?:\s+(?:is|was|=|of|to|for\s+\w+\s+is))?\s+[\"'“]?(\S+)", re.IGNORECASE)
_TRIGGER = re.compile(rf"\b{_WORD}", re.IGNORECASE)
MESSAGE = (
    "This looks like it contains a password. Firmlink never stores PACER or CM/ECF passwords: "
    "remove it (note only that the attorney knows it)."
)


def _secret_like(token: str) -> bool:
    token = token.strip("\"'“”.,;)(")
    if len(token) < 4:
        return False
    has_digit = any(c.isdigit() for c in token)
    has_symbol = any(not c.isalnum() for c in token)
    mixed = any(c.islower() for c in token) and any(c.isupper() for c in token[1:])
    return has_digit or has_symbol or mixed


def looks_like_credential(text: str) -> bool:
    if not text:
        return False
    if any(match.group(1).strip("\"'“”.,;") for match in _EXPLICIT.finditer(text)):
        return True
    return any(_secret_like(match.group(1)) for match in _SPOKEN.finditer(text))


def may_contain_credential(text: str) -> bool:
    """False when no part of ``text`` can look like a credential: one pass over a whole file."""
    return bool(_TRIGGER.search(text))


def refuse_credentials(value: str) -> None:
    """A Django validator: fields of free text use it, and so does the history writer."""
    if looks_like_credential(value):
        raise ValidationError(MESSAGE, code="credential")
