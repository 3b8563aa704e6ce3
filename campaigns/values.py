"""What a campaign step may record, checked the same way from a form, a bulk action or a roster.

Names of people, a place, one of a few answers, a date: each refused with a message saying why
when it is not one, and always when it looks like a secret (a password, an authenticator's
setup key or QR link, backup codes). Firmlink records who holds a factor and where codes are
kept, never the factor or the codes.
"""

import datetime
import re

from django.core.exceptions import ValidationError

from core.dates import validate_sane_date
from core.secrets import MESSAGE as PASSWORD_MESSAGE
from core.secrets import SECRET_MESSAGE, looks_like_credential, looks_like_setup_key

NAME = re.compile(r"[^\W\d_]+(?:[ .,'\u2019\-]+[^\W\d_]+)*\.?")
SPLIT = re.compile(r"\s*[;\n]\s*")
# Besides a setup key or QR link (core.secrets), runs that look like codes: 6+ digits, groups such
# as 1234-5678, two or more code-like tokens (letters with digits), or one token that switches
# between letters and digits three times or more (a1b2c3d4, ab12cd34; not "Office365").
DIGITS = re.compile(r"\d{6,}|\b\d{3,5}[- ]\d{3,5}\b")
CODE_TOKEN = re.compile(r"\b(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{6,16}\b")
SWITCH = re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
PLACE_MAX = 200


def _code_like(text: str) -> bool:
    tokens = CODE_TOKEN.findall(text)
    return bool(DIGITS.search(text)) or len(tokens) >= 2 or any(len(SWITCH.findall(t)) >= 3 for t in tokens)


def _refuse_secrets(text: str) -> None:
    if looks_like_setup_key(text) or _code_like(text):
        raise ValidationError(SECRET_MESSAGE, code="secret")
    if looks_like_credential(text):
        raise ValidationError(PASSWORD_MESSAGE, code="credential")


def keepable(text: str) -> str:
    """``text`` as a form may show it again after a refusal: empty when it looks like a secret
    (a refused password or code is never stored, not even in the session, nor given back)."""
    try:
        _refuse_secrets(text)
    except ValidationError:
        return ""
    return text


def clean_names(text: str, *, max_items: int) -> str:
    """Names of people separated by ";" or line breaks: normalised to "A; B", at most ``max_items``."""
    _refuse_secrets(text)
    names = [" ".join(part.split()) for part in SPLIT.split(text.strip()) if part.strip()]
    if not names:
        raise ValidationError("Give at least one name.", code="empty")
    bad = [name for name in names if not NAME.fullmatch(name) or len(name) > 100]
    if bad:
        raise ValidationError(
            f"{', '.join(repr(b) for b in bad[:3])}: not a person's name (letters, spaces, hyphens, apostrophes).",
            code="name",
        )
    unique = list(dict.fromkeys(names))
    if max_items and len(unique) > max_items:
        raise ValidationError(f"{len(unique)} names: at most {max_items}.", code="too_many")
    return "; ".join(unique)


def same_person(a: str, b: str) -> bool:
    """Two names of one person, whatever the case and spacing."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def names_of(value: str | None) -> list[str]:
    return [name for name in (value or "").split("; ") if name]


def clean_place(text: str) -> str:
    place = " ".join(text.split())
    if not place:
        raise ValidationError("Say where they are kept.", code="empty")
    if len(place) > PLACE_MAX:
        raise ValidationError(f"{len(place)} characters: at most {PLACE_MAX}.", code="length")
    _refuse_secrets(place)
    return place


def clean_choice(text: str, choices) -> str:
    allowed = {key for key, _ in choices}
    key = text.strip().lower()
    if key not in allowed:
        _refuse_secrets(text)  # a secret typed in the wrong box is refused as one, never repeated back
        shown = f"{text!r}" if len(text) <= 40 else "The value"
        raise ValidationError(f"{shown} is not one of {', '.join(sorted(allowed))}.", code="choice")
    return key


def clean_date(day: datetime.date | None, *, earliest: datetime.date | None, today: datetime.date) -> datetime.date:
    if day is None:
        raise ValidationError("Give the date.", code="empty")
    validate_sane_date(day)
    if day > today:
        raise ValidationError(f"{day.isoformat()} is in the future: record it once done.", code="future")
    if earliest and day < earliest:
        raise ValidationError(f"{day.isoformat()} is before {earliest.isoformat()}, when it became possible.")
    return day
