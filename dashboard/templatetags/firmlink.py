from django import template
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from attorneys import versioning
from attorneys.status import LinkStatus
from core import clock, roles
from dashboard import badges

register = template.Library()


@register.simple_tag
def status_badge(status):
    return badges.status_badge(status)


@register.filter
def status_label(status):
    return LinkStatus(status).label


@register.filter
def status_bar(status):
    return badges.STATUS_BAR[LinkStatus(status)]


@register.simple_tag(takes_context=True)
def role(context):
    return roles.role_of(context["request"].user)


@register.simple_tag
def csv_url(view_name, query="", excel=False):
    """The CSV export of a table's rows (its filters in ``query``); named apart from django-tables2's
    own ``export_url`` tag, which would win when both libraries are loaded."""
    params = "&".join(part for part in (query, "_export=csv", "excel=1" if excel else "") if part)
    path = view_name if view_name.startswith("/") else reverse(view_name)  # a view's name, or its path
    return f"{path}?{params}"


@register.filter
def days_since(day):
    """Whole days from ``day`` to today (firm time zone, as-of aware)."""
    return (clock.today() - day).days if day else ""


@register.filter
def days_until(day):
    return (day - clock.today()).days if day else ""


@register.filter
def nextgen(court):
    """A court's go-live date, or "on NextGen by <bound>", or "not announced"."""
    return court.nextgen_display()


@register.filter
def days_live(court):
    """Days since the court went live (from its bound, as "≥ N", when no go-live date is known)."""
    return badges.days_on_nextgen(court, clock.today())


@register.filter
def duration_words(delta):
    """A timedelta said as people say it: "1 hour", "90 minutes", "2 days"."""
    minutes = int(delta.total_seconds() // 60)
    for size, unit in ((1440, "day"), (60, "hour")):
        if minutes >= size and minutes % size == 0:
            n = minutes // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@register.simple_tag
def campaign_badge(campaign, status):
    return badges.campaign_badge(campaign, status)


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    """The body rows of a django-tables2 table exactly as its Bootstrap template writes them (row and
    cell attributes, a cell's value as ``{{ cell }}`` would show it, the empty text), built in Python:
    a template pass per cell was most of the time of a table page (tested to give the same HTML).

    A table whose rows show only pairs, attorneys and courts (``rows_cached``) keeps its rows per
    data version (``attorneys.versioning``), for the same person, day and address (filters, order,
    page): the same page asked again shows the same rows without reading them again, and any
    committed change shows at once."""
    key = _rows_key(context, table)
    if key is None:
        return _rows(context, table)
    return mark_safe(versioning.cached(key, lambda: str(_rows(context, table))))


def _rows_key(context, table) -> str | None:
    request = context.get("request")
    if not getattr(table, "rows_cached", False) or request is None:
        return None
    selected = ",".join(map(str, sorted(getattr(table, "selected", ()))))  # ticked again after a refusal
    return versioning.key(
        "rows", type(table).__name__, request.user.pk, clock.today(), selected, request.get_full_path()
    )


def _rows(context, table):
    rows = []
    td = {}  # a column's cell attributes, when they are the same on every row (no callable in them)
    for row in table.paginated_rows:
        cells = []
        for column, cell in row.items():
            attrs = td.get(column.name)
            if attrs is None:
                attrs = column.attrs["td"].as_html()
                if _static_td(table, column):
                    td[column.name] = attrs
            cells.append(f"<td {attrs}>{_cell(column, cell, context)}</td>")
        rows.append(f"<tr {row.attrs.as_html()}>{''.join(cells)}</tr>")
    if not rows and table.empty_text:
        rows.append(format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), table.empty_text))
    return mark_safe("".join(rows))


def _static_td(table, column) -> bool:
    """Whether a column's ``td`` attributes (the table's, then the column's, ``cell`` as the default)
    hold no callable, so that they do not depend on the row."""
    attrs = {**table.attrs, **column.column.attrs}
    return not _has_callable(attrs.get("td", attrs.get("cell", {})))


def _has_callable(value) -> bool:
    if callable(value):
        return True
    return isinstance(value, dict) and any(_has_callable(v) for v in value.values())


def _cell(column, cell, context) -> str:
    if column.localize is None:
        return render_value_in_context(cell, context)
    return conditional_escape(formats.localize(cell, use_l10n=bool(column.localize)))


@register.tag
def versioned(parser, token):
    """``{% versioned "name" var ... %}...{% endversioned %}``: what the block renders, kept per data
    version (``attorneys.versioning``) and the values named (the day, the person), so a page asked
    again shows the same block without reading it again, and a committed change shows at once. The
    block must show only pairs, attorneys, courts and the history (what the version follows)."""
    name, *vary = token.split_contents()[1:]
    nodelist = parser.parse(("endversioned",))
    parser.delete_first_token()
    return VersionedNode(nodelist, parser.compile_filter(name), [parser.compile_filter(v) for v in vary])


class VersionedNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context):
        key = versioning.key("block", self.name.resolve(context), *(v.resolve(context) for v in self.vary))
        return versioning.cached(key, lambda: self.nodelist.render(context))
