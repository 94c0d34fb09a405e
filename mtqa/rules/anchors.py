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
    NEGATE,
    RANGE,
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


def phrase_anchors(phrases: list[str]) -> frozenset[str] | None:
    """Anchors of an alternation of literal phrases (lowercase, words separated by spaces):
    the best word of each phrase, as :func:`regex_anchors` picks it from such a pattern."""
    anchors: set[str] = set()
    for phrase in phrases:
        best = _run_anchor(list(phrase))
        if best is None:
            return None
        anchors |= best
    return frozenset(anchors) if anchors else None


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


def lowest_first_character(pattern: str, flags: int) -> int | None:
    """The lowest code point that a match of a case-sensitive pattern can start with, when
    that is beyond ASCII (a pattern for Chinese characters, say); None otherwise.

    A text holds a match only where it holds such a character, which the prefilter finds by
    the first byte of its UTF-8 encoding. Only a pattern that starts with a character, a
    character set or a range of them, alone or in groups, has one.
    """
    if flags & re.IGNORECASE:
        return None  # a case-insensitive set matches other cases, some of them ASCII
    try:
        items = list(sre_parse.parse(pattern, flags))
    except Exception:
        return None
    lowest = _lowest(items)
    return lowest if lowest is not None and lowest >= 0x80 else None


def _lowest(items: list[tuple[Any, Any]]) -> int | None:
    if not items:
        return None
    op, arg = items[0]
    if op is SUBPATTERN:
        return _lowest(list(arg[-1]))
    if op is LITERAL:
        return int(arg)
    if op is BRANCH:
        leads = [_lowest(list(branch)) for branch in arg[1]]
        return None if any(lead is None for lead in leads) else min(leads)  # type: ignore[type-var]
    if op is not IN:
        return None
    negated = bool(arg) and arg[0][0] is NEGATE
    spans: list[tuple[int, int]] = []
    for item_op, item_arg in arg[1:] if negated else arg:
        if item_op is LITERAL:
            spans.append((item_arg, item_arg))
        elif item_op is RANGE:
            spans.append(item_arg)
        else:
            return None  # a category (\w, \d) or anything else: give up
    if not negated:
        return min(low for low, _ in spans) if spans else None
    # The lowest code point outside every excluded span.
    candidate = 0
    for low, high in sorted(spans):
        if low > candidate:
            break
        candidate = max(candidate, high + 1)
    return candidate
