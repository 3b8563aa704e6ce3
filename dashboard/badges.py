"""How a status looks, everywhere: one colour and one text per status (never colour alone)."""

from django.utils.html import format_html

from attorneys.status import LinkStatus

# Bootstrap contextual classes with readable contrast; the label is always written out.
STATUS_CLASS = {
    LinkStatus.NOT_APPLICABLE: "text-bg-light border",
    LinkStatus.NEEDS_PACER_ACCOUNT: "text-bg-warning",
    LinkStatus.NEEDS_PACER_UPGRADE: "text-bg-warning",
    LinkStatus.AWAITING_GO_LIVE: "text-bg-info",
    LinkStatus.NEEDS_REGISTRATION: "text-bg-danger",
    LinkStatus.READY_TO_LINK: "text-bg-danger",
    LinkStatus.LINKED: "text-bg-primary",
    LinkStatus.COMPLETE: "text-bg-success",
}
# Bar colours for progress charts, same meaning as the badges.
STATUS_BAR = {
    LinkStatus.NOT_APPLICABLE: "bg-secondary-subtle",
    LinkStatus.NEEDS_PACER_ACCOUNT: "bg-warning",
    LinkStatus.NEEDS_PACER_UPGRADE: "bg-warning",
    LinkStatus.AWAITING_GO_LIVE: "bg-info",
    LinkStatus.NEEDS_REGISTRATION: "bg-danger",
    LinkStatus.READY_TO_LINK: "bg-danger",
    LinkStatus.LINKED: "bg-primary",
    LinkStatus.COMPLETE: "bg-success",
}


def status_badge(status: str):
    status = LinkStatus(status)
    return format_html(
        '<span class="badge status-badge {}" data-status="{}">{}</span>',
        STATUS_CLASS[status],
        status.value,
        status.label,
    )


def days_on_nextgen(court, today) -> str:
    """Days since the court went live; from its on-NextGen-by bound, as "≥ N", when no date is known."""
    since = court.live_since
    if since is None or since > today:
        return ""
    days = (today - since).days
    if court.live_since_is_bound:
        return format_html(
            '<span title="At least {days} days: counted from the on-NextGen-by bound {since}; the exact go-live '
            'date is not known">≥{days}<span class="visually-hidden"> (at least, from the bound {since})</span></span>',
            days=days,
            since=since.isoformat(),
        )
    return str(days)


def campaign_badge(campaign, status: str):
    """A campaign's status badge: the colour its definition gives, the label always written out."""
    definition = campaign.status(status)
    return format_html(
        '<span class="badge status-badge text-bg-{}{}" data-status="{}">{}</span>',
        definition.badge,
        " border" if definition.badge == "light" else "",
        definition.key,
        definition.label,
    )
