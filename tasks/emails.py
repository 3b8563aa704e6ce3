"""The reminder email (one per attorney per run) and the administrators' digest.

Subject, plain text and HTML come from templates; links are absolute (FIRMLINK_BASE_URL) and
built with reverse(). No message ever contains or asks for a password.
"""

import datetime
import functools
from email.utils import format_datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe

from attorneys import tokens
from attorneys.campaign import SLUG as NEXTGEN
from attorneys.status import LinkStatus
from campaigns import registry, subjects
from core import clock
from core.roles import administrator_emails

from .guidance import guidance_for, how_to_link, pacer_guidance
from .models import OccasionKind


def absolute(path: str) -> str:
    return f"{settings.FIRMLINK_BASE_URL}{path}"


TOKEN_MARKER = "firmlink-token-marker"


def token_path(name: str, token: str) -> str:
    """``reverse(name, args=[token])`` for a signed token (letters, digits and ``-_.:``, which
    ``reverse`` leaves as they are): the path is reversed once, then the token put in its place
    (two ``reverse`` calls were a tenth of a reminder's rendering)."""
    before, after = _token_path(name, get_script_prefix(), get_urlconf())
    return f"{before}{token}{after}"


@functools.lru_cache(maxsize=64)
def _token_path(name: str, prefix: str, urlconf) -> tuple[str, str]:
    before, after = reverse(name, args=[TOKEN_MARKER]).split(TOKEN_MARKER)
    return before, after


def _court_context(reminder, today: datetime.date) -> dict:
    link = reminder.link
    court = link.court
    go_live, since = court.nextgen_go_live, court.live_since
    return {
        "court": court,
        "link": link,
        "status": link.status,
        "occasion": reminder.occasion,
        "kind": reminder.kind,
        "go_live": go_live,
        "live_by": court.live_by if go_live is None else None,  # only a bound is known: "since at least"
        "live_since": since,
        "days_until": (go_live - today).days if go_live and go_live > today else None,
        "days_since": (today - since).days if since and since <= today else None,
        "guidance": guidance_for(
            status=link.status,
            court=court,
            cmecf_login_known=link.cmecf_login_known,
            today=today,
            new_to_court=link.new_to_court,
            shared_link_steps=True,
        ),
    }


# What unblocks an attorney, by status, said the way the subject line ends; the first one that
# applies wins (a PACER account comes before everything else).
REMEDY = {
    LinkStatus.NEEDS_PACER_ACCOUNT: ("until you have your own PACER account", "get your own PACER account"),
    LinkStatus.NEEDS_PACER_UPGRADE: ("until you upgrade your PACER account", "upgrade your PACER account"),
    LinkStatus.NEEDS_REGISTRATION: (
        "until you request e-filing access through PACER",
        "request e-filing access through PACER",
    ),
    LinkStatus.READY_TO_LINK: ("until you link your CM/ECF account to PACER", "link your account"),
}


def remedy(statuses) -> tuple[str, str]:
    """(``until ...`` for a blocked attorney, ``what to do`` on go-live day) for these statuses."""
    for status, words in REMEDY.items():
        if status in statuses:
            return words
    return REMEDY[LinkStatus.READY_TO_LINK]


def _subject(courts: list[dict]) -> str:
    blocked = [c for c in courts if c["guidance"].urgent]
    today_live = [c for c in courts if c["kind"] == OccasionKind.GO_LIVE and c["days_since"] == 0]
    if today_live:
        ids = ", ".join(c["court"].court_id for c in today_live)
        return f"{ids} moved to NextGen CM/ECF today: {remedy({c['status'] for c in today_live})[1]} to keep e-filing"
    if blocked:
        ids = ", ".join(c["court"].court_id for c in blocked)
        return f"Action needed: you cannot e-file in {ids} {remedy({c['status'] for c in blocked})[0]}"
    soon = min(courts, key=lambda c: c["days_until"] if c["days_until"] is not None else 10**6)
    when = f"in {soon['days_until']} day{'s' if soon['days_until'] != 1 else ''}" if soon["days_until"] else "soon"
    others = f" (and {len(courts) - 1} more)" if len(courts) > 1 else ""
    return f"{soon['court'].court_id}{others} moves to NextGen CM/ECF {when}: get ready"


def _campaign_context(reminder, today: datetime.date) -> dict:
    """A campaign per attorney in the reminder: where the attorney stands and what is left, in order."""
    campaign = registry.get(reminder.campaign)
    status = campaign.status(reminder.campaign_status)
    # A campaign per attorney and court counts from the pair's own date (cutover, renewal due).
    deadline = reminder.campaign_state.deadline if campaign.per_court else reminder.campaign_dates.deadline
    court = reminder.link.court if campaign.per_court and reminder.link_id else None
    fact = campaign.fact(court.court_id) if court else None
    left = [
        item
        for item in subjects.checklist(campaign, reminder.campaign_state, today)
        if item.applies and not item.done and not item.step.automatic
    ]
    return {
        "campaign": campaign,
        "title": f"{campaign.name} in {court.name} ({court.court_id})" if court else campaign.name,
        "court": court,
        "fact": fact,
        "status": status,
        "blocked": status.blocking,
        "deadline": deadline,
        "days_until": (deadline - today).days if deadline and deadline > today else None,
        "days_since": (today - deadline).days if deadline and deadline <= today else None,
        "left": left,
        "message": reminder.campaign_dates.message,
        "source": fact.source if fact else (campaign.sources[0] if campaign.sources else None),
    }


def _in_sentence(label: str) -> str:
    """A label inside a sentence: its first word lowercased unless it is an acronym (PACER, MFA)."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() and len(first) > 1 else label[:1].lower() + label[1:]


def _campaign_subject(c: dict) -> str:
    campaign, deadline = c["campaign"], c["deadline"]
    name = f"{campaign.name} in {c['court'].court_id}" if c["court"] else campaign.name
    if c["blocked"]:
        return f"Action needed: {name}: {_in_sentence(c['status'].label)}"
    step = _in_sentence(c["status"].label)
    if c["days_since"]:
        ago = f"{c['days_since']} day{'s' if c['days_since'] != 1 else ''} ago"
        return f"{name}: {step}: the {campaign.deadline_label} was {deadline.isoformat()} ({ago})"
    when = f"in {c['days_until']} day{'s' if c['days_until'] != 1 else ''}" if c["days_until"] else "today"
    return f"{name}: {step} before the {campaign.deadline_label} of {deadline.isoformat()} ({when})"


def subject_line(courts: list[dict], campaigns: list[dict]) -> str:
    """One subject for everything in the message: the most urgent first."""
    parts = []
    if courts:
        parts.append(_subject(courts))
    parts.extend(_campaign_subject(c) for c in sorted(campaigns, key=lambda c: not c["blocked"]))
    if len(parts) > 1 and any(c["blocked"] for c in campaigns) and not any(c["guidance"].urgent for c in courts):
        parts.insert(0, parts.pop(1))  # a campaign that blocks filing comes before a court that does not
    return " · ".join(parts)


def _court_blocks(c: dict) -> tuple[str, str]:
    """A court's section of the reminder, as text and HTML: the same for every attorney who gets it
    that day with the same guidance, so rendered once for all of them."""
    court, guidance = c["court"], c["guidance"]
    return _court_block(
        court.name,
        court.court_id,
        court.ecf_url,
        court.help_desk_email,
        court.help_desk_phone,
        c["go_live"],
        c["live_by"],
        c["days_until"],
        c["days_since"],
        guidance.headline,
        tuple(guidance.steps),
        guidance.urgent,
    )


@functools.lru_cache(maxsize=4096)
def _court_block(
    name, court_id, ecf_url, help_desk_email, help_desk_phone, go_live, live_by, days_until, days_since, *guidance
) -> tuple[str, str]:
    """``reminder_court.txt`` and ``.html`` for these values (all that they show, so the cache is
    exact: a court or guidance that changes is another entry)."""
    headline, steps, urgent = guidance
    context = {
        "c": {
            "court": {
                "name": name,
                "court_id": court_id,
                "ecf_url": ecf_url,
                "help_desk_email": help_desk_email,
                "help_desk_phone": help_desk_phone,
            },
            "go_live": go_live,
            "live_by": live_by,
            "days_until": days_until,
            "days_since": days_since,
            "guidance": {"headline": headline, "steps": steps, "urgent": urgent},
        }
    }
    text = render_to_string("tasks/email/reminder_court.txt", context)
    html = mark_safe(render_to_string("tasks/email/reminder_court.html", context))  # escaped as rendered
    return text, html


def reply_to() -> list[str]:
    """Where replies to reminders go: FIRMLINK_REPLY_TO, else the active administrators."""
    return settings.FIRMLINK_REPLY_TO or administrator_emails()


def reminder_message(
    *, attorney, reminders, today: datetime.date, connection=None, replies: list[str] | None = None
) -> EmailMultiAlternatives:
    """One message for all of the attorney's occasions due today, every campaign's (``replies``: the
    reply-to addresses, when the caller read them once for many messages)."""
    courts = sorted(
        (_court_context(r, today) for r in reminders if r.link_id and r.campaign == NEXTGEN),
        key=lambda c: (not c["guidance"].urgent, c["live_since"] or datetime.date.max, c["court"].court_id),
    )
    for c in courts:
        c["block_txt"], c["block_html"] = _court_blocks(c)
    campaigns = [_campaign_context(r, today) for r in reminders if r.campaign != NEXTGEN]
    calendar = absolute(token_path("attorney-calendar", tokens.make(attorney, tokens.CALENDAR)))
    context = {
        "attorney": attorney,
        "courts": courts,
        "campaigns": campaigns,
        "pacer": pacer_guidance(pacer_account=attorney.pacer_account, pacer_individual=attorney.pacer_individual)
        if courts
        else None,
        "how_to_link": how_to_link() if any(c["guidance"].links for c in courts) else None,
        "today": today,
        "firm_name": settings.FIRMLINK_FIRM_NAME,
        "self_service_url": absolute(token_path("self-service", tokens.make(attorney))),
        "calendar_url": calendar,
        "webcal_url": tokens.webcal(calendar),
        "self_service_days": settings.FIRMLINK_SELF_SERVICE_DAYS,
    }
    return _message(
        "reminder",
        context,
        to=[attorney.email],
        connection=connection,
        subject=subject_line(courts, campaigns),
        replies=replies,
    )


def digest_message(
    *,
    listed,
    total: int,
    per_court: list[dict],
    recipients: list[str],
    today: datetime.date,
    campaigns: list[dict] = (),
    connection=None,
) -> EmailMultiAlternatives:
    """Counts per court, then the ``listed`` longest-overdue pairs of ``total`` (the size stays bounded)."""
    rows = [
        {
            "link": link,
            **_since(link.court.nextgen_go_live, link.court.live_by, today),
            "url": absolute(reverse("attorney-detail", args=[link.attorney_id])),
        }
        for link in listed
    ]
    context = {
        "rows": rows,
        "total": total,
        "more": total - len(rows),
        "per_court": [{**c, **_since(c["court__nextgen_go_live"], c["court__live_by"], today)} for c in per_court],
        "today": today,
        "firm_name": settings.FIRMLINK_FIRM_NAME,
        "overview_url": absolute(reverse("link-list") + "?cannot_file=on&sort=go_live"),
        "escalate_after": settings.FIRMLINK_ESCALATE_AFTER_DAYS,
        "court_count": len(per_court),
        "campaigns": [
            {
                **c,
                "rows": [_digest_row(c["campaign"], subject) for subject in c["listed"]],
            }
            for c in campaigns
        ],
    }
    parts = []
    if total:
        parts.append(
            f"{total} attorney-court pair{'s' if total != 1 else ''} still cannot e-file, "
            f"{settings.FIRMLINK_ESCALATE_AFTER_DAYS}+ days after go-live"
        )
    parts.extend(
        f"{c['total']} {'pair' if c['campaign'].per_court else 'attorney'}{'s' if c['total'] != 1 else ''} cannot "
        f"file ({c['campaign'].name})"
        for c in campaigns
    )
    subject = f"Firmlink digest {today.isoformat()}: {'; '.join(parts)}"
    return _message("digest", context, to=recipients, connection=connection, subject=subject)


def _digest_row(campaign, subject) -> dict:
    """An attorney (a campaign per attorney) or a pair with its date (per attorney and court)."""
    if campaign.per_court:
        return {
            "attorney": subject.attorney,
            "court": subject.court,
            "date": subject.deadline,
            "url": absolute(reverse("attorney-detail", args=[subject.attorney_id]) + f"#campaign-{campaign.slug}"),
        }
    return {"attorney": subject, "url": absolute(reverse("attorney-detail", args=[subject.pk]))}


def _since(go_live, live_by, today: datetime.date) -> dict:
    """How long a live court has been on NextGen, said honestly when only a bound is known."""
    if go_live is not None:
        return {"since": go_live.isoformat(), "days_since": str((today - go_live).days)}
    return {"since": f"on NextGen by {live_by.isoformat()}", "days_since": f"at least {(today - live_by).days}"}


def _message(
    name: str, context: dict, *, to: list[str], connection, subject: str, replies: list[str] | None = None
) -> EmailMultiAlternatives:
    context = {**context, "subject": subject}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"tasks/email/{name}.txt", context),
        to=to,
        reply_to=reply_to() if replies is None else replies,
        connection=connection,
        headers={
            "Message-ID": make_msgid(idstring=name, domain=settings.FIRMLINK_MAIL_DOMAIN),
            # Automated notices (RFC 3834): auto-responders and out-of-office replies stay quiet.
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "X-Firmlink-Notice": name,
            # Dated by the firm's clock, so an installation run "as of" a date dates its mail by it.
            "Date": format_datetime(clock.now()),
        },
    )
    message.attach_alternative(render_to_string(f"tasks/email/{name}.html", context), "text/html")
    return message
