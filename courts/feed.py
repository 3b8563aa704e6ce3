"""PACER's Court CM/ECF Lookup feed (``data.json``), read into court rows. Pure: no database.

``https://pacer.uscourts.gov/file-case/court-cmecf-lookup/data.json`` lists every court's
CM/ECF: ``meta.last_updated`` and ``data[]`` entries with ``court_id`` (PACER's own code, e.g.
``CANBK``), ``title``, ``type``, ``login_url``, ``web_url``, ``software_version``,
``help_desk``... Our court id is the label after ``ecf.`` in ``login_url``. Entries that are
not a court's own CM/ECF (the case locator, the Supreme Court, a bankruptcy appellate panel
filing through its circuit's CM/ECF, a court's separate database on another host) are
skipped, each with its reason. ``go_live_date`` there is the court's first CM/ECF date, not
its NextGen one, and is not used.
"""

import dataclasses
import datetime
import email.utils
import json
import re
import urllib.parse

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

TYPES = {
    "appeals": "appellate",
    "appellate": "appellate",
    "district": "district",
    "bankruptcy": "bankruptcy",
    "national": "national",
}
ECF_HOST = re.compile(r"^ecf\.([a-z0-9]+)\.uscourts\.gov$", re.IGNORECASE)
# "Ohio" -> "OH": a new court's state, when all the counties it serves are in one.
STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA", "Colorado": "CO",
    "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC", "Florida": "FL", "Georgia": "GA",
    "Guam": "GU", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS",
    "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI",
    "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC",
    "North Dakota": "ND", "Northern Mariana Islands": "MP", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR",
    "Pennsylvania": "PA", "Puerto Rico": "PR", "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD",
    "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virgin Islands": "VI", "Virginia": "VA",
    "Washington": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}  # fmt: skip


class FeedError(Exception):
    """A file that is not PACER's feed as we know it: nothing is applied."""


@dataclasses.dataclass(frozen=True)
class FeedCourt:
    court_id: str
    pacer_code: str
    name: str
    court_type: str
    ecf_url: str
    web_url: str
    help_desk_phone: str
    software_version: str
    state: str

    @property
    def on_nextgen(self) -> bool:
        return "nextgen" in self.software_version.lower()


@dataclasses.dataclass
class Feed:
    updated: datetime.date  # the feed's own date (meta.last_updated), in its own time zone
    courts: list[FeedCourt]
    skipped: list[tuple[str, str]]  # (PACER code and title, why)


def read_feed(data: bytes) -> Feed:
    """Parse and check a downloaded copy of the feed. Raises FeedError saying what is wrong."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FeedError(f"not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise FeedError(f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(document, dict) or not isinstance(document.get("meta"), dict):
        raise FeedError("no 'meta' object: not PACER's Court CM/ECF Lookup feed")
    updated = _feed_date(document["meta"].get("last_updated"))
    entries = document.get("data")
    if not isinstance(entries, list) or not entries:
        raise FeedError("'data' is not a non-empty list of courts")
    courts: dict[str, FeedCourt] = {}
    skipped = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise FeedError(f"data[{number - 1}] is not an object")
        missing = [key for key in ("court_id", "title", "type") if not isinstance(entry.get(key), str)]
        label = f"{entry.get('court_id', '?')} ({' '.join(str(entry.get('title', '')).split())})"
        if missing:
            skipped.append((label, f"no {', '.join(missing)}"))
            continue
        court, why = _court(entry)
        if court is None:
            skipped.append((label, why))
        elif court.court_id in courts:
            other = courts[court.court_id]
            skipped.append((label, f"shares ecf.{court.court_id} with {other.pacer_code} ({other.name})"))
        else:
            courts[court.court_id] = court
    if not courts:
        raise FeedError("no entry of 'data' is a court's CM/ECF: not PACER's Court CM/ECF Lookup feed")
    return Feed(updated=updated, courts=list(courts.values()), skipped=skipped)


def _feed_date(value) -> datetime.date:
    if not isinstance(value, str) or not value.strip():
        raise FeedError("no 'meta.last_updated': the feed's date is needed")
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError):
        pass
    try:
        return datetime.datetime.fromisoformat(value.strip()).date()
    except ValueError:
        raise FeedError(f"'meta.last_updated' {value!r} is not a date") from None


def _court(entry: dict) -> tuple[FeedCourt | None, str]:
    """The court an entry describes, or None and why it is skipped."""
    title = " ".join(entry["title"].split())
    login = (entry.get("login_url") or "").strip()
    if not login:
        return None, "no CM/ECF login address: not a court that files through CM/ECF"
    match = (
        ECF_HOST.match(urllib.parse.urlsplit(login).netloc or "") if login.startswith(("http://", "https://")) else None
    )
    if not match:
        return None, f"{login} is not a court's own CM/ECF address (ecf.<court>.uscourts.gov)"
    if "BAP" in title.split():
        return None, f"a bankruptcy appellate panel: it files through its circuit's CM/ECF, {login}"
    court_type = TYPES.get(entry["type"].strip().lower())
    if court_type is None:
        return None, f"unknown court type {entry['type']!r}"
    court_id = match.group(1).lower()
    version = entry.get("software_version")
    return (
        FeedCourt(
            court_id=court_id,
            pacer_code=entry["court_id"],
            name=title[:120],
            court_type=court_type,
            ecf_url=f"https://ecf.{court_id}.uscourts.gov/",
            web_url=_url(entry.get("web_url")),
            help_desk_phone=_phones(entry.get("help_desk")),
            software_version=version.strip()[:80] if isinstance(version, str) else "",
            state=_state(entry.get("counties")),
        ),
        "",
    )


def _url(value) -> str:
    """An http(s) address, or "" (an odd value in the feed changes nothing)."""
    if not isinstance(value, str) or not value.strip():
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value.strip())
    except ValidationError:
        return ""
    return value.strip()[:200]


def _phones(help_desk) -> str:
    """ "617-748-9200; 617-748-9650 (BAP)", as the shipped directory writes them."""
    if not isinstance(help_desk, list):
        return ""
    phones = []
    for desk in help_desk:
        if isinstance(desk, dict) and isinstance(desk.get("phone"), str) and desk["phone"].strip():
            division = desk.get("division")
            phone = desk["phone"].strip()
            phones.append(f"{phone} ({division})" if isinstance(division, str) and division else phone)
    return "; ".join(dict.fromkeys(phones))[:255]


def _state(counties) -> str:
    if not isinstance(counties, list):
        return ""
    states = {county.get("state") for county in counties if isinstance(county, dict)}
    return STATES.get(states.pop(), "") if len(states) == 1 else ""
