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


# An authenticator's setup key: an otpauth:// link, or base32 (A-Z, 2-7) of 12+ characters with
# letters and digits, written in one run or in groups of four ("JBSW Y3DP EHPK 3PXP").
_KEY_RUN = re.compile(r"\b[A-Z2-7]{12,}\b", re.IGNORECASE)
_KEY_GROUPS = re.compile(r"\b(?:[A-Z2-7]{4}[ -]){2,}[A-Z2-7]{2,4}\b", re.IGNORECASE)
SECRET_MESSAGE = (
    "This looks like a secret (a code, an authenticator's key or QR link). Firmlink records who holds the "
    "authenticator and where backup codes are kept, never the codes or keys themselves."
)


def _base32_key(candidate: str) -> bool:
    key = re.sub(r"[ -]", "", candidate)
    return len(key) >= 12 and any(c in "234567" for c in key) and any(c.isalpha() for c in key)


def looks_like_setup_key(text: str) -> bool:
    """An authenticator's setup key or QR link: refused in every note and campaign value."""
    if not text:
        return False
    if "otpauth:" in text.lower():
        return True
    candidates = [m.group(0) for m in _KEY_RUN.finditer(text)] + [m.group(0) for m in _KEY_GROUPS.finditer(text)]
    return any(_base32_key(candidate) for candidate in candidates)


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
