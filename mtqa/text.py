"""Fast, offset-preserving text helpers: sentence boundaries and protected spans.

Sentence splitting is done with one regular-expression pass plus an abbreviation list. We
measured pysbd (correct but about 50 s for 200k characters) and it would dominate the run time
of every check; this splitter keeps exact character offsets, which is what findings need.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

#: Characters that separate units in a document's scan text; no rule pattern matches them.
UNIT_SEPARATOR = "\x00"

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "cf",
        "al",
        "approx",
        "dept",
        "est",
        "fig",
        "figs",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "nos",
        "vol",
        "vols",
        "pp",
        "p",
        "ed",
        "eds",
        "gen",
        "gov",
        "sen",
        "rep",
        "rev",
        "hon",
        "capt",
        "col",
        "lt",
        "sgt",
        "maj",
        "adm",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "u.s",
        "u.k",
        "u.n",
        "a.m",
        "p.m",
        "ph.d",
        "b.a",
        "m.a",
    ]
)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then space.
_BOUNDARY = re.compile(
    r"[.!?]+[\"'”’)\]]*(?=[ \t\r\n\u00a0]+[\"'“‘(\[]?[A-Z0-9\u00c0-\u024f])|\x00+"
)
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]*$")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences in ``text[start:end]``, trimmed of spaces.

    Unit separators (masked text between units) always end a sentence.
    """
    if end is None:
        end = len(text)
    spans: list[tuple[int, int]] = []
    pos = start
    for match in _BOUNDARY.finditer(text, start, end):
        cut = match.end()
        if text[match.start()] == UNIT_SEPARATOR:
            _add_span(text, pos, match.start(), spans)
            pos = cut
            continue
        head = text[max(pos, match.start() - 24) : match.start() + 1]
        word = _WORD_BEFORE.search(head)
        if word is not None:
            token = word.group(1).lower().rstrip(".")
            # "J. K. Rowling", "Mr. Smith", "e.g. Beijing": not a boundary.
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        _add_span(text, pos, cut, spans)
        pos = cut
    _add_span(text, pos, end, spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start] in " \t\r\n\u00a0\x00":
        start += 1
    while end > start and text[end - 1] in " \t\r\n\u00a0\x00":
        end -= 1
    if end > start:
        spans.append((start, end))


# ---------------------------------------------------------------------------------------------
# Protected spans: places where prose rules must not fire.

_URL = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'`\x00]+[^\s<>\"'`.,;:!?)\]\x00]"
    r"|\b[\w.+-]++@[\w-]+(?:\.[\w-]+)+\b"
    r"|\b[\w-]++(?:\.[\w-]++)*?\.(?:com|org|net|gov|edu|io|cn|uk|de)\b(?:/[^\s\x00]*)?"
)
_CODE = re.compile(r"`[^`\n\x00]+`|\{\{[^}\n]*\}\}|\{[0-9a-z_]*\}|%[sd]|<[^<>\n]{1,80}>")
_QUOTED = re.compile(
    r"\"[^\"\n\x00]{1,200}\"|“[^“”\n\x00]{1,200}”|‘[^‘’\n\x00]{1,200}’|'[^'\n\x00]{1,60}'"
)
_PARENS = re.compile(r"\([^()\n\x00]{1,200}\)|（[^（）\n\x00]{1,200}）")
_MENTION_CUE = re.compile(
    r"\b(?:word|words|phrase|phrases|term|terms|expression|expressions|wording|idiom|saying|"
    r"calque|calques|string|strings|text|spelled|written|says|reads|like|as in|called)\W{0,3}$",
    re.IGNORECASE,
)

PROTECT_KINDS = frozenset({"url", "code", "quotes", "mention", "parens"})


class Spans:
    """A sorted set of non-overlapping character ranges with fast containment tests."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1]:
                if end > merged[-1][1]:
                    merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def __bool__(self) -> bool:
        return bool(self._starts)

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) shares at least one character with a range."""
        i = bisect_right(self._starts, end - 1) - 1
        return i >= 0 and self._ends[i] > start


def protected_ranges(
    text: str, kind: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Ranges of ``text[start:end]`` of one protection kind (url, code, quotes, mention, parens)."""
    stop = len(text) if end is None else end
    if kind == "url":
        return _urls(text, start, stop)
    if kind == "code":
        return [m.span() for m in _CODE.finditer(text, start, stop)]
    if kind == "quotes":
        return [m.span() for m in _QUOTED.finditer(text, start, stop) if _is_quotation(text, m)]
    if kind == "mention":
        return [
            m.span()
            for m in _QUOTED.finditer(text, start, stop)
            if _is_quotation(text, m)
            and _MENTION_CUE.search(text, max(start, m.start() - 30), m.start())
        ]
    if kind == "parens":
        return [m.span() for m in _PARENS.finditer(text, start, stop)]
    raise ValueError(f"unknown protection kind {kind!r}")


def protected_spans(text: str, kinds: Sequence[str]) -> Spans:
    """Ranges of ``text`` that rules protecting ``kinds`` must leave alone."""
    ranges: list[tuple[int, int]] = []
    for kind in kinds:
        if kind == "mention" and "quotes" in kinds:
            continue  # every quotation is protected already
        ranges.extend(protected_ranges(text, kind))
    return Spans(ranges)


_URL_HINT = re.compile(r"://|www\.|@|\.(?:com|org|net|gov|edu|io|cn|uk|de)\b", re.IGNORECASE)
_TOKEN_EDGE = re.compile(r"[\s\x00]")
_MAX_URL = 2048


def _urls(text: str, begin: int = 0, stop: int | None = None) -> list[tuple[int, int]]:
    """URL and e-mail spans. The full pattern runs only on tokens holding a cheap hint."""
    spans: list[tuple[int, int]] = []
    done = 0
    for hint in _URL_HINT.finditer(text, begin, len(text) if stop is None else stop):
        if hint.start() < done:
            continue
        # A URL is a token: look for its edges, but never further than a long URL could reach.
        floor = max(begin, hint.start() - _MAX_URL)
        start = max(text.rfind(" ", floor, hint.start()), text.rfind("\n", floor, hint.start()))
        start = max(start, text.rfind("\x00", floor, hint.start()), floor - 1) + 1
        edge = _TOKEN_EDGE.search(text, hint.end(), hint.end() + _MAX_URL)
        end = edge.start() if edge else min(len(text), hint.end() + _MAX_URL)
        spans.extend(m.span() for m in _URL.finditer(text, start, end))
        done = end
    return spans


def _is_quotation(text: str, match: re.Match[str]) -> bool:
    """Reject apostrophes taken for single quotes ("the students' and teachers' rooms")."""
    if match.group()[0] != "'":
        return True
    before = text[match.start() - 1] if match.start() > 0 else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return not before.isalnum() and not after.isalnum()


WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
# A run of [\w'’-] holding a letter or digit is exactly one WORD (from its first letter or digit
# to its last): counting such runs needs no backtracking and no string per word.
_WORD_RUN = re.compile(r"[^\W_][\w'’-]*+")


def count_words(text: str) -> int:
    """Number of words (letters/digits, with inner apostrophes and hyphens) in ``text``: the
    matches of ``WORD``."""
    return _WORD_RUN.subn("", text)[1]
