"""Conditions written once, read two ways: as SQL (a Django ``Q``) and in Python (on one object).

A campaign's statuses are an ordered list of rules, "the first condition that holds gives the
status". Written with these few building blocks, the same rule list gives the SQL annotation
that filters, counts and exports use, and the Python function that one object in memory uses;
tests generate data and check the two agree.

Values are named by Django field paths (``"attorney__pacer_account"``), relative to the
queryset's model in SQL and followed attribute by attribute in Python (a missing related
object reads as None). A comparison with a missing value (SQL NULL) is false in both forms,
and stays false under ``Not`` (each comparison carries its own "is not null", so that SQL's
three-valued logic never makes the two forms disagree).

    READY = All(IsTrue("efiling_account"), Reached(Coalesced("court__nextgen_go_live", "court__live_by")))
    READY.q(today)             # Q(...) for .filter() or When()
    READY.holds(link, today)   # bool
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThan, In, IsNull, LessThanOrEqual

# Values -------------------------------------------------------------------------------------------


class Value_:
    """A value of the subject: SQL expression and Python reading."""

    def sql(self):
        raise NotImplementedError

    def read(self, obj):
        raise NotImplementedError


@dataclasses.dataclass(frozen=True)
class Field(Value_):
    path: str

    def sql(self):
        return F(self.path)

    def read(self, obj):
        for name in self.path.split("__"):
            if obj is None:
                return None
            obj = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        return obj


@dataclasses.dataclass(frozen=True)
class Coalesced(Value_):
    """The first of several values that is set (e.g. a go-live date, else a bound)."""

    paths: tuple[str, ...]
    output: type = models.DateField

    def __init__(self, *paths: str, output: type = models.DateField):
        object.__setattr__(self, "paths", paths)
        object.__setattr__(self, "output", output)

    def sql(self):
        return Coalesce(*(F(path) for path in self.paths), output_field=self.output())

    def read(self, obj):
        for path in self.paths:
            value = Field(path).read(obj)
            if value is not None:
                return value
        return None


def _value(value: Value_ | str) -> Value_:
    return Field(value) if isinstance(value, str) else value


# Conditions ---------------------------------------------------------------------------------------


class Condition:
    def q(self, today: datetime.date) -> Q:
        raise NotImplementedError

    def holds(self, obj, today: datetime.date) -> bool:
        raise NotImplementedError


def _set(value: Value_) -> Q:
    return Q(IsNull(value.sql(), False))


def _lookup(value: Value_, lookup: str, operand, expression) -> Q:
    """A comparison that is false, not NULL, on a missing value (so that its negation is true, as
    in Python): the guard is explicit, on a field, an annotation or any other expression."""
    if isinstance(value, Field):
        # Django guards a nullable column inside a negation, but not an annotation: guard both.
        return Q(**{f"{value.path}__{lookup}": operand}) & Q(**{f"{value.path}__isnull": False})
    return Q(expression(value.sql(), operand)) & _set(value)


@dataclasses.dataclass(frozen=True)
class IsSet(Condition):
    """The value is there (not NULL; with ``text``, not empty either)."""

    value: Value_ | str
    text: bool = False

    def q(self, today):
        value = _value(self.value)
        if isinstance(value, Field):
            q = Q(**{f"{value.path}__isnull": False})
            return q & ~Q(**{value.path: ""}) if self.text else q
        return _set(value)

    def holds(self, obj, today):
        value = _value(self.value).read(obj)
        return value is not None and (not self.text or value != "")


@dataclasses.dataclass(frozen=True)
class Equals(Condition):
    value: Value_ | str
    constant: object

    def q(self, today):
        return _lookup(_value(self.value), "exact", self.constant, Exact)

    def holds(self, obj, today):
        return _value(self.value).read(obj) == self.constant


@dataclasses.dataclass(frozen=True)
class OneOf(Condition):
    value: Value_ | str
    constants: tuple

    def q(self, today):
        return _lookup(_value(self.value), "in", list(self.constants), In)

    def holds(self, obj, today):
        return _value(self.value).read(obj) in self.constants


def IsTrue(value: Value_ | str) -> Condition:  # noqa: N802 (reads as a condition)
    return Equals(value, True)


def IsFalse(value: Value_ | str) -> Condition:  # noqa: N802
    return Equals(value, False)


@dataclasses.dataclass(frozen=True)
class Reached(Condition):
    """A date value is set and on or before today (a go-live, a deadline): "that day has come";
    with ``days_after``, that many days have passed since."""

    value: Value_ | str
    days_after: int = 0

    def q(self, today):
        limit = today - datetime.timedelta(days=self.days_after)
        return _lookup(_value(self.value), "lte", limit, LessThanOrEqual)

    def holds(self, obj, today):
        day = _value(self.value).read(obj)
        return day is not None and day <= today - datetime.timedelta(days=self.days_after)


@dataclasses.dataclass(frozen=True)
class Later(Condition):
    """Both dates are set and the first is after the second (e.g. a holder left after the review)."""

    first: Value_ | str
    second: Value_ | str

    def q(self, today):
        first, second = _value(self.first), _value(self.second)
        return Q(GreaterThan(first.sql(), second.sql())) & _set(first) & _set(second)

    def holds(self, obj, today):
        a, b = _value(self.first).read(obj), _value(self.second).read(obj)
        return a is not None and b is not None and a > b


@dataclasses.dataclass(frozen=True)
class All(Condition):
    conditions: tuple[Condition, ...]

    def __init__(self, *conditions: Condition):
        object.__setattr__(self, "conditions", conditions)

    def q(self, today):
        q = Q()
        for condition in self.conditions:
            q &= condition.q(today)
        return q

    def holds(self, obj, today):
        return all(condition.holds(obj, today) for condition in self.conditions)


@dataclasses.dataclass(frozen=True)
class Any(Condition):
    conditions: tuple[Condition, ...]

    def __init__(self, *conditions: Condition):
        object.__setattr__(self, "conditions", conditions)

    def q(self, today):
        if not self.conditions:
            return Q(pk__in=[])  # false
        q = self.conditions[0].q(today)
        for condition in self.conditions[1:]:
            q |= condition.q(today)
        return q

    def holds(self, obj, today):
        return any(condition.holds(obj, today) for condition in self.conditions)


@dataclasses.dataclass(frozen=True)
class Not(Condition):
    condition: Condition

    def q(self, today):
        return ~self.condition.q(today)

    def holds(self, obj, today):
        return not self.condition.holds(obj, today)


class Always(Condition):
    def q(self, today):
        return Q()

    def holds(self, obj, today):
        return True


# Rules: the first that holds gives the outcome ------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Rule:
    outcome: str
    when: Condition


def case(rules: Sequence[Rule], today: datetime.date, *, default: str) -> Case:
    """SQL: the outcome of the first rule that holds, else ``default`` (for ``.annotate()``)."""
    return Case(
        *(When(rule.when.q(today), then=Value(str(rule.outcome))) for rule in rules),
        default=Value(str(default)),
        output_field=models.CharField(),
    )


def first(rules: Iterable[Rule], obj, today: datetime.date, *, default: str) -> str:
    """Python: the same as ``case`` for one object."""
    for rule in rules:
        if rule.when.holds(obj, today):
            return rule.outcome
    return default
