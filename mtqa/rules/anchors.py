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
#: Bump when the choice of anchors changes: cached anchors of older versions are dropped.
ALGORITHM = 3

# Words too common to make good anchors: any other literal piece of the pattern is preferred.
COMMON = frozenset(
    """
    the and for with that this from have has had will was were are not but its their there
    they them then than what when which while who whom into onto over under more most also such
    some any all our your his her him she one two new make made take work place way well
    good high full play part form set put get give about after before other only very
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def _score(anchors: set[str]) -> int:
    """How selective an anchor set is: its weakest member, common words scoring low."""
    return min(_word_score(a) for a in anchors)


def _word_score(anchor: str) -> int:
    return len(anchor) + (0 if anchor in COMMON else 3)


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
        if best is None or _score(candidate) > _score(best):
            best = candidate

    for op, arg in items:
        if op is LITERAL:
            run.append(chr(arg).lower())
            continue
        if op is IN and _is_space_class(arg):
            run.append(" ")
            continue
        consider(_run_anchor(run))
        alternatives = _alternatives(op, arg)
        if alternatives is not None and run and run[-1] != " ":
            # "br(?:ing|ought)": the parser factored out a common prefix; join it back.
            prefix = "".join(run).split(" ")[-1]
            consider({prefix + lead for lead in alternatives})
        run = []
        if op is SUBPATTERN:
            consider(_sequence(list(arg[-1])))
        elif op is BRANCH:
            consider(_branch(arg[1]))
        elif op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1:
            consider(_sequence(list(arg[2])))
    consider(_run_anchor(run))
    return best


def _alternatives(op: Any, arg: Any) -> list[str] | None:
    """The leading literal letters of each alternative of a branch (or a group holding one)."""
    if op is SUBPATTERN:
        inner = list(arg[-1])
        if len(inner) != 1:
            return None
        op, arg = inner[0]
    if op is not BRANCH:
        return None
    leads: list[str] = []
    for branch in arg[1]:
        lead: list[str] = []
        for item_op, item_arg in branch:
            if item_op is not LITERAL or chr(item_arg) == " ":
                break
            lead.append(chr(item_arg).lower())
        leads.append("".join(lead))
    return leads


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
    pieces = [p for p in "".join(run).split(" ") if len(p) >= MIN_ANCHOR]
    piece = max(pieces, key=_word_score) if pieces else ""
    return {piece} if len(piece) >= MIN_ANCHOR else None


def _is_space_class(arg: Any) -> bool:
    """True for the whitespace class that a space in a rule pattern becomes."""
    literals = {chr(v) for op, v in arg if op is LITERAL}
    return " " in literals and all(op is LITERAL for op, _ in arg)
