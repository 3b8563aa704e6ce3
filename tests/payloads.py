"""Form payloads the tests post, as the pages' forms send them (one place to change a form)."""

import datetime

from tests.dates import AS_OF


def link_step(
    link, *, cmecf_name: str, pacer_name: str, on: datetime.date = AS_OF, irreversible: bool = True, **extra
) -> dict:
    """The "accounts linked" form of an attorney page."""
    data = {"step": "linked", "link": link.pk, "on": on.isoformat(), "cmecf_name": cmecf_name, "pacer_name": pacer_name}
    if irreversible:
        data["irreversible"] = "on"
    return {**data, **extra}


def toggle_step(step: str, link, value: str = "yes") -> dict:
    """A yes/no step of an attorney page (e.g. "old CM/ECF login known")."""
    return {"step": step, "link": link.pk, "value": value}


def self_service_link(link, *, name: str, on: datetime.date = AS_OF) -> dict:
    """The attorney's own "linked" confirmation on the self-service page."""
    return {"what": "linked", "link": link.pk, "on": on.isoformat(), "cmecf_name": name, "pacer_name": name}
