"""What makes the dashboard's tables fast must not change what they show: django-tables2's
signature lookups remembered (``dashboard.cellcalls``) and cell attributes reused across rows only
when no callable is in them (``table_rows``)."""

import functools
import re

import django_tables2 as tables
import pytest
from django_tables2 import RequestConfig
from django_tables2 import utils as tables_utils

from dashboard import cellcalls

pytestmark = pytest.mark.django_db


class Renderer:
    def render(self, value, record):
        return value

    def __call__(self, value, **kwargs):
        return value


def plain(value):
    return value


def test_the_remembered_signature_is_the_library_s_for_every_kind_of_callable():
    assert tables_utils.signature is cellcalls.signature  # installed by the dashboard app
    first, second = Renderer(), Renderer()
    callables = [
        plain,
        lambda record, value: value,
        first.render,
        second.render,  # another instance: the same function, the same answer
        first,  # a callable object
        functools.partial(plain),
        len,  # a builtin
        Renderer,  # a class
    ]
    for fn in callables * 2:  # the second time from memory
        assert cellcalls.signature(fn) == cellcalls._original(fn), fn


def test_a_render_method_gets_what_it_asks_for_each_time():
    calls = []

    def render(value, record):
        calls.append((value, record))
        return value

    assert tables_utils.call_with_appropriate(render, {"value": 1, "record": "r", "table": None}) == 1
    assert tables_utils.call_with_appropriate(render, {"value": 2, "record": "s"}) == 2
    assert tables_utils.call_with_appropriate(render, {"value": 3}) is None  # a missing argument: not called
    assert calls == [(1, "r"), (2, "s")]


class Striped(tables.Table):
    name = tables.Column(attrs={"td": {"class": "name"}})
    parity = tables.Column(
        accessor="n", attrs={"td": {"data-parity": lambda record: "even" if record["n"] % 2 == 0 else "odd"}}
    )
    n = tables.Column(attrs={"cell": {"title": lambda value: f"n is {value}"}})  # th and td
    static = tables.Column(accessor="n", attrs={"td": {"data-static": "yes"}})


def test_cell_attributes_with_a_callable_are_computed_for_each_row(rf):
    rows = [{"name": f"row {n}", "n": n} for n in range(4)]

    def body(template):
        table = Striped(rows)
        table.template_name = template
        RequestConfig(rf.get("/")).configure(table)
        html = table.as_html(rf.get("/"))
        found = re.search(r"<tbody.*?</tbody>", html, re.S).group(0)
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", found)).replace("> ", ">").replace(" <", "<")

    ours = body("includes/table.html")
    assert ours == body("django_tables2/bootstrap5.html")
    assert ours.count('data-parity="even"') == 2 and ours.count('data-parity="odd"') == 2
    assert 'title="n is 3"' in ours and 'title="n is 1"' in ours
    assert ours.count('data-static="yes"') == 4
