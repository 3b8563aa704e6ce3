"""django-tables2 inspects a render method's signature on every call, for every cell of every row
(``django_tables2.utils.call_with_appropriate``): about a fifth of a table page's time. A
function's signature never changes, so it is read once per function here.

Installed by ``DashboardConfig.ready``; ``tests/test_table_rows.py`` checks that it answers as the
library's own ``signature`` does for every kind of callable a table uses.
"""

import weakref

from django_tables2 import utils

_original = utils.signature
_known: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def signature(fn):
    """``django_tables2.utils.signature``, remembered per function (a bound method by its function:
    ``self`` is left out either way). Kept weakly, so a function that goes away is forgotten."""
    key = getattr(fn, "__func__", fn)
    try:
        return _known[key]
    except KeyError:
        pass
    except TypeError:  # not weakly referable (a builtin, say): asked each time, as before
        return _original(fn)
    result = _known[key] = _original(fn)
    return result


def install() -> None:
    utils.signature = signature
