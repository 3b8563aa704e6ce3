import django_tables2 as tables
from django.utils.html import format_html


def external_link(url, text):
    return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', url, text)


class CourtTable(tables.Table):
    court_id = tables.Column(verbose_name="Court", linkify=("court-detail", {"court_id": tables.A("court_id")}))
    name = tables.Column()
    court_type = tables.Column(verbose_name="Type")
    state = tables.Column()
    nextgen_go_live = tables.DateColumn(verbose_name="Go-live", format="Y-m-d", default="not announced")
    go_live_source_kind = tables.Column(verbose_name="Date source", orderable=False)
    help_desk = tables.Column(empty_values=(), orderable=False, verbose_name="Help desk")
    ecf_url = tables.Column(verbose_name="CM/ECF", orderable=False)
    efilers = tables.Column(verbose_name="E-filers")
    blocked = tables.Column(verbose_name="Cannot file")
    complete = tables.Column(verbose_name="Complete")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "courts-table"}
        order_by = ("court_id",)

    def render_go_live_source_kind(self, record):
        if not record.go_live_source_kind:
            return ""
        label = record.get_go_live_source_kind_display()
        return external_link(record.go_live_source_url, label) if record.go_live_source_url else label

    def render_help_desk(self, record):
        if record.help_desk_email:
            return format_html("{}<br>{}", record.help_desk_phone, record.help_desk_email)
        return record.help_desk_phone

    def render_ecf_url(self, value):
        return external_link(value, value.split("//")[-1].rstrip("/"))

    def render_blocked(self, value):
        return format_html('<span class="badge text-bg-danger">{}</span>', value) if value else "0"
