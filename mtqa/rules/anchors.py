"""Literal anchors of a regular expression, for an Aho-Corasick prefilter.

An anchor set is a set of lowercase strings such that every match of the regex contains at
least one of them. With anchors, a rule's regex runs only on the units where an anchor occurs,
found by one pass of an automaton over the document for all rules at once. Rules whose regex
has no usable anchors are scanned in full.
"""

from __future__ import annotations

import re

# The standard library's own regex parser (Python 3.11+); typeshed has no stubs for it.
import re._parser as sre_parse  # type: ignore[import-not-found]
from re._constants import (  # type: ignore[import-not-found]
    BRANCH,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    SUBPATTERN,
)
from typing import Any

MIN_ANCHOR = 3


def regex_anchors(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Anchors of a compiled pattern, or None when none can be proven."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
    except Exception:
        return None
    anchors = _sequence(list(parsed))
    if not anchors or any(len(a) < MIN_ANCHOR for a in anchors):
        return None
    return frozenset(anchors)


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Best anchor set of a sequence: the longest literal run, or a required group's set."""
    best: set[str] | None = None
    run: list[str] = []

    def consider(candidate: set[str] | None) -> None:
        nonlocal best
        if not candidate:
            return
        if best is None or min(len(a) for a in candidate) > min(len(a) for a in best):
            best = candidate

    for op, arg in items:
        if op is LITERAL:
            run.append(chr(arg).lower())
            continue
        if op is IN and _is_space_class(arg):
            run.append(" ")
            continue
        consider(_run_anchor(run))
        run = []
        if op is SUBPATTERN:
            consider(_sequence(list(arg[-1])))
        elif op is BRANCH:
            consider(_branch(arg[1]))
        elif op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1:
            consider(_sequence(list(arg[2])))
    consider(_run_anchor(run))
    return best


def _branch(branches: list[Any]) -> set[str] | None:
    out: set[str] = set()
    for branch in branches:
        anchors = _sequence(list(branch))
        if not anchors:
            return None
        out.update(anchors)
    return out


def _run_anchor(run: list[str]) -> set[str] | None:
    """The longest space-free piece of a literal run (spaces may be any whitespace)."""
    pieces = "".join(run).split(" ")
    piece = max(pieces, key=len) if pieces else ""
    return {piece} if len(piece) >= MIN_ANCHOR else None


def _is_space_class(arg: Any) -> bool:
    """True for the whitespace class that a space in a rule pattern becomes."""
    literals = {chr(v) for op, v in arg if op is LITERAL}
    return " " in literals and all(op is LITERAL for op, _ in arg)
