"""Comparing the two names a court shows before linking (CM/ECF name vs PACER name)."""

import re

_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "esq"}


def _tokens(name: str) -> list[str]:
    words = re.sub(r"[^\w\s]", " ", name.casefold()).split()
    return [word for word in words if word not in _SUFFIXES]


def _compatible(a: str, b: str) -> bool:
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def names_match(cmecf_name: str, pacer_name: str) -> bool:
    """Same person as far as the names go: first and last names equal, middle names may
    be missing on one side or given as an initial ("James C Alison" ~ "James Alison").

    A mismatch is for a human to review, never a reason to refuse the record.
    """
    a, b = _tokens(cmecf_name), _tokens(pacer_name)
    if not a or not b or a[0] != b[0] or a[-1] != b[-1]:
        return False
    middle_a, middle_b = a[1:-1], b[1:-1]
    if not middle_a or not middle_b:
        return True
    return len(middle_a) == len(middle_b) and all(map(_compatible, middle_a, middle_b))
