"""Select widgets written in Python: the court filter lists every court of the directory (204
options), and Django's template per option made it the slowest part of rendering a table page."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelectMixin:
    """The same ``<select>`` as Django's widget (attributes, options, selection), built without a
    template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], mark_safe(" selected") if option["selected"] else "", option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], _attributes(widget["attrs"]), options)


def _attributes(attrs: dict):
    """Attributes in the widget's order, as Django's template writes them (True: the name alone)."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
            for key, value in attrs.items()
            if value is not False and value is not None
        ),
    )


# Named as Django's: templates tell widgets apart by ``BoundField.widget_type`` (the class name).
class Select(FastSelectMixin, forms.Select):
    pass


class SelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


FastSelect, FastSelectMultiple = Select, SelectMultiple
