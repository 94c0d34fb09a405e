"""Consistency: one multi-word name written with different capitalisation in one document.

"Provincial Party Committee" in one paragraph and "provincial party Committee" in another is
an MT slip; the reader cannot tell whether the same body is meant. The engine works on the
whole document in two linear passes:

1. Collect the capitalised phrases: runs of capitalised words, possibly joined by connectors
   ("Belt and Road", "Ministry of Finance"), and every 2..``max-words`` word stretch of a run
   that starts and ends with a capitalised word ("Provincial Party Committee" inside
   "Liaoning Provincial Party Committee").
2. Find every occurrence of those phrases in any case (one Aho-Corasick pass over a lowercased
   copy of the text), classify each and flag the mixed-case variants of a Title Case phrase.

Precision comes first, so an occurrence is a flaggable variant only when

* it mixes capitalised and lowercase words of the phrase (all-lowercase "a five-year plan" is
  the generic use and left alone), ignoring a sentence-initial word, and skipping occurrences
  with an all-capitals word (emphasis) and units written in Title Case (headings);
* a lowercase word comes before a capitalised one ("provincial party Committee"), or follows
  one through a connector ("Ministry of finance") -- not a capitalised modifier before a common
  noun ("Russian government", which is ordinary English);
* the lowercase words before the capitalised ones are not just geographic or time modifiers
  ("southern California") or titles before a name ("governor Andrew Cuomo");
* the Title Case form occurs at least as often as that variant (a tie goes to Title Case).

Parameters:
  max-words: longest phrase, in words, connectors included (2..8, default 5).
  connectors: lowercase words allowed inside a capitalised phrase (of, and, the, ...).
  modifiers: lowercase words that may stand before a proper name ("northern", "former").
  titles: lowercase words that are titles before a personal name ("governor", "minister").
  heading-ratio: share of capitalised words that makes a unit a heading (default 0.75).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import compress, pairwise, repeat
from operator import itemgetter, sub
from typing import Any, ClassVar

from mtqa.document import Document
from mtqa.errors import ConfigError
from mtqa.model import Finding
from mtqa.rules.model import RuleMeta, ScanContext, make_finding, require

KEYS = {"max-words", "connectors", "modifiers", "titles", "heading-ratio"}

_DEFAULT_CONNECTORS = ("of", "and", "the", "for", "de", "&")
#: Characters that join a word to the next one ("non-Party", "Party's").
_JOINERS = frozenset("_-'’")
#: A capitalised word straight after a variant: it is part of a longer name.
_NAME_GOES_ON = re.compile(r"[ \u00a0][A-Z]")
#: Characters skipped when looking back for the start of a sentence.
_LEAD = frozenset(" \t\u00a0-–—*•·([#>|")
#: An opening quotation mark makes the next word sentence-initial (quoted speech).
_OPEN_QUOTES = frozenset("\"“‘«'")
_SENTENCE_END = frozenset(".!?:;…\n\r\x00")
_STARTERS = _SENTENCE_END | _OPEN_QUOTES  # what _sentence_initial looks for before a word
_PART = re.compile(r"[^\s\-–]+")


@dataclass
class ConsistencyRule:
    """Mixed-case variants of a multi-word name that the document writes in Title Case."""

    #: Counts uses across the whole document, so it is never run on a piece of one.
    scope: ClassVar[str] = "document"

    meta: RuleMeta
    max_words: int
    connectors: frozenset[str]
    modifiers: frozenset[str]
    titles: frozenset[str]
    heading_ratio: float
    run: re.Pattern[str] = field(init=False)
    #: ``run`` for an ASCII copy of the text with every capital letter written as "A": it
    #: starts with a literal, which the regex engine finds faster than a character class.
    ascii_run: re.Pattern[bytes] = field(init=False)

    def __post_init__(self) -> None:
        cap = r"[A-Z][\w'’-]*+"
        joined = "|".join(
            re.escape(c) + " " for c in sorted(self.connectors, key=len, reverse=True)
        )
        link = rf"(?:{joined})*" if joined else ""
        # Starts with a character class, so the regex engine skips ahead quickly.
        self.run = re.compile(rf"{cap}(?: {link}{cap})+")
        # For the ASCII copy (bytes): a connector with other characters never occurs in it.
        ascii_joined = "|".join(
            re.escape(c) + " "
            for c in sorted(self.connectors, key=len, reverse=True)
            if c.isascii()
        )
        ascii_link = rf"(?:{ascii_joined})*" if ascii_joined else ""
        ascii_cap = r"A[\w'-]*+"
        self.ascii_run = re.compile(rf"{ascii_cap}(?: {ascii_link}{ascii_cap})+".encode("ascii"))

    def scan(self, ctx: ScanContext) -> Iterator[Finding]:
        """One finding per mixed-case variant of a phrase the document writes in Title Case."""
        document = ctx.document
        text = document.scan_text
        kind = _Kinds(self._classify)
        candidates = self._candidates(text, kind)
        if not candidates:
            return
        headings = _Headings(document, self.connectors | _SMALL_WORDS, self.heading_ratio)
        protected = ctx.protected(self.meta.protect)
        flagged: list[tuple[int, int, str]] = []
        for spans in candidates:
            kinds: list[tuple[int, int, str, str]] = []
            for start, end in spans:
                written = text[start:end]
                how = kind(written, _sentence_initial(text, start))
                if how is not None:
                    kinds.append((start, end, written, how))
            if not any(k[3] == "variant" for k in kinds) or not any(k[3] == "title" for k in kinds):
                continue
            # Headings in Title Case say nothing about how the text writes a name.
            kinds = [k for k in kinds if not headings.holds(k[0])]
            titles = Counter(form for _, _, form, how in kinds if how == "title")
            if not titles:
                continue
            dominant = titles.most_common(1)[0][0]
            support = sum(titles.values())
            variants = Counter(form for _, _, form, how in kinds if how == "variant")
            for start, end, form, how in kinds:
                if how != "variant" or variants[form] > support:
                    continue
                if _NAME_GOES_ON.match(text, end):
                    continue  # "his mother Mary Scranton": a longer name, not this one
                if protected and protected.overlaps(start, end):
                    continue
                flagged.append((start, end, dominant))
        # A variant inside a longer flagged variant is reported once, as the longer one.
        flagged.sort(key=lambda f: (f[0], -f[1]))
        reach = -1
        for start, end, dominant in flagged:
            if end <= reach:
                continue
            reach = end
            yield make_finding(self.meta, start, end, text[start:end], [dominant])

    def _candidates(self, text: str, kind: _Kinds) -> list[list[tuple[int, int]]]:
        """Occurrences, in any case, of each phrase that may be written both ways.

        That is, in Title Case and as a variant (``kind``), going by how it is written alone:
        a sentence-initial first word makes no occurrence a title or a variant that would not
        be one otherwise. Per phrase, its (start, end) spans in order.
        """
        ascii_text = text.encode("ascii", "replace")
        keys = self._phrases(text, ascii_text)
        if not keys:
            return []
        # One Aho-Corasick pass over a framed copy of the text finds every occurrence of every
        # phrase, and some near misses (see _framed). C-level passes over the hits collect
        # how each pattern is written; only the few patterns written both ways (near misses
        # included) are checked hit by hit.
        framed = _framed(text, ascii_text)
        ordered = list(keys)
        patterns: dict[bytes, list[str]] = {}
        for key, pattern in zip(ordered, _frame(ordered), strict=True):
            patterns.setdefault(pattern, []).append(key)
        import ahocorasick_rs

        automaton = ahocorasick_rs.BytesAhoCorasick(
            list(patterns), implementation=ahocorasick_rs.Implementation.ContiguousNFA
        )
        hits = automaton.find_matches_as_indexes(framed, overlapping=True)
        # Only a pattern found twice can be written two ways.
        numbers = list(map(itemgetter(0), hits))
        twice = {number for number, n in Counter(numbers).items() if n > 1}
        kept = list(map(twice.__contains__, numbers))
        numbers = list(compress(numbers, kept))
        if not numbers:
            return []
        # A hit of a pattern ending before framed[end] is the stretch text[end - size : end - 2]
        # (framed has a byte per character of the text, and a space in front).
        ends = list(compress(map(itemgetter(2), hits), kept))
        sizes = list(map(len, patterns))
        starts = map(sub, ends, map(sizes.__getitem__, numbers))
        stretches = map(text.__getitem__, map(slice, starts, map(sub, ends, repeat(2))))
        forms: dict[int, list[str]] = {}
        for number, stretch in set(zip(numbers, stretches, strict=True)):
            forms.setdefault(number, []).append(stretch)
        both = set()
        for number, written in forms.items():
            if len(written) > 1:  # else always written the same way
                # A form without capitals is neither a variant nor, but for a phrase made of
                # connectors alone (which has no variants), a title.
                how = {kind(form, False) for form in written if not form.islower()}
                if "title" in how and "variant" in how:
                    both.add(number)
        if not both:
            return []
        lowered = _Lowered(text)
        spans: dict[str, list[tuple[int, int]]] = {}
        size = len(text)
        groups = list(patterns.values())
        pairs = zip(numbers, ends, strict=True)
        for number, stop in compress(pairs, map(both.__contains__, numbers)):
            start = stop - sizes[number]
            end = stop - 2
            if start > 0:
                ch = text[start - 1]
                if ch.isalnum() or ch in _JOINERS:
                    continue
            if end < size:
                ch = text[end]
                if ch.isalnum() or ch in _JOINERS:
                    continue
            for key in groups[number]:
                if lowered.equals(start, end, key):
                    spans.setdefault(key, []).append((start, end))
        return [spans[key] for key in sorted(spans)]

    def _phrases(self, text: str, ascii_text: bytes) -> set[str]:
        """Lowercased capitalised phrases of 2..max_words words that end a capitalised run.

        Stretches end where the run ends: a name cut short ("City of New" from "City of New
        York") or a title before a name ("Deputy Director Li") is not a name of its own.
        ``ascii_text`` is the text encoded as ASCII, "?" for any other character.
        """
        keys: set[str] = set()
        add = keys.add
        connectors = self.connectors
        max_words = self.max_words
        done: tuple[set[str], set[str]] = (set(), set())  # runs seen mid-sentence, initial
        for start, end in self._runs(text, ascii_text):
            if start > 0:
                ch = text[start - 1]
                if ch.isalnum() or ch in _JOINERS:
                    continue
                # A sentence-initial word is capitalised for grammar, not as part of a name.
                initial = _sentence_initial(text, start) if ch in _LEAD else ch in _STARTERS
            else:
                initial = True
            run = text[start:end]
            seen = done[initial]
            if run in seen:
                continue
            seen.add(run)
            low = run.lower()
            words = low.split(" ")
            count = len(words)
            if count == 2:  # most runs
                if not initial and words[0] not in connectors:
                    add(low)
                continue
            offset = len(words[0]) + 1 if initial else 0
            index = 1 if initial else 0
            for word in words[index:-1]:
                if count - index <= max_words and word not in connectors:
                    add(low[offset:])
                offset += len(word) + 1
                index += 1
        return keys

    def _runs(self, text: str, ascii_text: bytes) -> list[tuple[int, int]]:
        """(start, end) of each match of ``run`` in the text, in order.

        ``ascii_run`` finds the same runs in an ASCII copy of the text with each capital
        letter written as "A", except on lines or units (runs span neither) that hold a
        character other than ASCII ("?" in ``ascii_text``): those are searched as they are.
        """
        # Line breaks become unit separators: both end runs, and one byte marks both.
        capitals = ascii_text.translate(_CAPITALS)
        spans = list(map(_SPAN, self.ascii_run.finditer(capitals)))
        # The stretches between separators that hold a "?", as (start, end).
        starts: list[int] = []
        ends: list[int] = []
        for mark in _QUESTION_MARK.finditer(ascii_text):
            if ends and mark.start() < ends[-1]:
                continue  # in the stretch just found
            end = capitals.find(b"\x00", mark.start())
            starts.append(capitals.rfind(b"\x00", 0, mark.start()) + 1)
            ends.append(end if end >= 0 else len(capitals))
        if not starts:
            return spans
        # Drop the runs found there in the copy, and search those stretches as they are.
        stretch = map(bisect_right, repeat(starts), map(itemgetter(0), spans))
        spans = [
            span
            for span, index in zip(spans, stretch, strict=True)
            if not index or span[0] >= ends[index - 1]
        ]
        for start, end in zip(starts, ends, strict=True):
            spans += map(_SPAN, self.run.finditer(text, start, end))
        spans.sort()
        return spans

    def _classify(self, written: str, initial: bool) -> str | None:
        """How one occurrence of a phrase is capitalised: "title", "variant" or "other".

        None when its case says nothing (an all-capitals word).
        """
        # Per content part: its case -- U (capitalised), l (lowercase) or ? (unknown: a
        # sentence-initial word, a single letter, a number) -- and the connectors before it.
        parts: list[tuple[str, str, str]] = []
        joint = ""
        for index, match in enumerate(_PART.finditer(written)):
            part = match.group()
            low = part.lower()
            if low in self.connectors:
                joint = low
                continue
            if len(part) > 1 and part.isupper():
                return None  # emphasis or an acronym: its case says nothing
            head = part[0]
            if (index == 0 and initial) or len(part) == 1:
                case = "?"
            elif head.isupper():
                case = "U"
            elif head.islower():
                case = "l"
            else:
                case = "?"
            parts.append((case, low, joint))
            joint = ""
        cases = [p[0] for p in parts]
        if all(c == "U" for c in cases):
            return "title"
        if "U" not in cases or "l" not in cases or len({p[1] for p in parts}) == 1:
            return "other"
        for (before, word, _), (after, _word, joint) in pairwise(parts):
            # "provincial party Committee", "belt and Road": a lowercase word written
            # straight before a capitalised one of the same name (not "city of Tallinn", and
            # not "southern California" or "governor Andrew Cuomo").
            if (
                before == "l"
                and after == "U"
                and joint in ("", "and", "&")
                and word not in self.modifiers
                and word not in self.titles
            ):
                return "variant"
            # "Ministry of finance": the name goes lowercase after a connector.
            if before == "U" and after == "l" and joint:
                return "variant"
        return "other"


class _Kinds:
    """``ConsistencyRule._classify``, remembered per written form and sentence start."""

    def __init__(self, classify: Callable[[str, bool], str | None]) -> None:
        self.classify = classify
        self.known: dict[tuple[str, bool], str | None] = {}

    def __call__(self, written: str, initial: bool) -> str | None:
        try:
            return self.known[written, initial]
        except KeyError:
            how = self.known[written, initial] = self.classify(written, initial)
            return how


def _sentence_initial(text: str, start: int) -> bool:
    """True when the word at ``start`` begins a sentence, a line or a quotation."""
    pos = start - 1
    while pos >= 0 and text[pos] in _LEAD:
        pos -= 1
    if pos < 0:
        return True
    ch = text[pos]
    return ch in _SENTENCE_END or ch in _OPEN_QUOTES


#: ASCII bytes a phrase may hold that also tell a word character from a boundary (the others,
#: and every non-ASCII character, become a space in a framed text).
_KEPT = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_'-")
_FRAME = bytes(b if b in _KEPT else 32 for b in range(256))
_FRAME_LINES = _FRAME[:10] + b"\n" + _FRAME[11:]  # keeps line breaks, to frame many at once
#: A-Z -> A, and line breaks -> unit separators (see ConsistencyRule._runs).
_CAPITALS = bytes(65 if 65 <= b <= 90 else 0 if b == 10 else b for b in range(256))
_QUESTION_MARK = re.compile(b"[?]")
_SPAN = re.Match.span
_KELVIN = "\u212a"  # the one non-ASCII character that lowercases to an ASCII letter


def _framed(text: str, ascii_text: bytes) -> bytes:
    """The text lowercased (ASCII letters only), other characters as spaces, space-framed.

    A byte per character of the text. Searching it for ``_frame(phrase)`` finds every
    occurrence of the phrase in any case with a word boundary on either side, one position to
    the right, and some near misses (other punctuation, non-ASCII letters): hits are checked
    against the text. ``ascii_text`` is the text encoded as ASCII, "?" for any other character.
    """
    if _KELVIN in text:  # "\u212a".lower() == "k"
        ascii_text = text.replace(_KELVIN, "k").encode("ascii", "replace")
    return b" " + ascii_text.lower().translate(_FRAME) + b" "


def _frame(phrases: list[str]) -> list[bytes]:
    """The patterns that find ``phrases`` in a ``_framed`` text, in order."""
    joined = "\n".join(phrases).encode("ascii", "replace").translate(_FRAME_LINES)
    patterns = joined.split(b"\n")
    if len(patterns) != len(phrases):  # a connector with a line break in it
        patterns = [p.encode("ascii", "replace").translate(_FRAME) for p in phrases]
    return [b" " + pattern + b" " for pattern in patterns]


class _Lowered:
    """Compares stretches of the text, lowercased, with phrases.

    Lowercased as the whole text would be: by ``str.lower``, or character by character when a
    character lowercases to two ("İ"), which then stays as it is.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._whole: str | None = None
        self._split: bool | None = None

    def equals(self, start: int, end: int, key: str) -> bool:
        """True when the text from ``start`` to ``end``, lowercased, is ``key``."""
        stretch = self.text[start:end]
        if key.isascii():
            # Only ASCII letters and the Kelvin sign lowercase to ASCII, the same either way.
            return stretch.lower() == key
        if self._split is None:
            self._split = "\u0130" in self.text
        if self._split:
            return "".join(c.lower() if len(c.lower()) == 1 else c for c in stretch) == key
        if "\u03a3" in stretch:  # capital sigma: its lowercase depends on its neighbours
            if self._whole is None:
                self._whole = self.text.lower()
            return self._whole[start:end] == key
        return stretch.lower() == key


class _Headings:
    """Units written in Title Case (headings, titles), decided on first request."""

    def __init__(self, document: Document, skip: frozenset[str], ratio: float):
        self.document = document
        self.ratio = ratio
        self.known: dict[int, bool] = {}
        small = "|".join(re.escape(w) for w in sorted(skip, key=len, reverse=True))
        self.upper = re.compile(r"(?<![\w'’-])[A-Z]")
        self.lower = re.compile(rf"(?<![\w'’-])(?!(?:{small})(?![\w'’-]))[a-z]")

    def holds(self, offset: int) -> bool:
        """True when ``offset`` lies in a heading unit."""
        index = self.document.unit_at(offset)
        if index is None:
            return False
        answer = self.known.get(index)
        if answer is None:
            unit = self.document.units[index]
            text, start, end = self.document.scan_text, unit.offset, unit.offset + len(unit.target)
            upper = len(self.upper.findall(text, start, end))
            lower = len(self.lower.findall(text, start, end))
            answer = upper > 1 and upper >= self.ratio * (upper + lower)
            self.known[index] = answer
        return answer


#: Short words that headings in Title Case often leave lowercase.
_SMALL_WORDS = frozenset(
    {"a", "an", "as", "at", "but", "by", "in", "into", "nor", "off", "on", "or", "per", "to"}
    | {"up", "via", "vs", "with", "from"}
)


def _words(value: Any, key: str, where: str, default: tuple[str, ...] = ()) -> frozenset[str]:
    if value is None:
        return frozenset(default)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of words")
    return frozenset(v.strip().lower() for v in value)


def compile(meta: RuleMeta, params: Mapping[str, Any], where: str) -> ConsistencyRule:
    """Build the inconsistent-capitalisation check."""
    require(params, KEYS, where)
    max_words = params.get("max-words", 5)
    if isinstance(max_words, bool) or not isinstance(max_words, int) or not 2 <= max_words <= 8:
        raise ConfigError(f"{where}: 'max-words' must be a number from 2 to 8")
    ratio = params.get("heading-ratio", 0.75)
    if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 < ratio <= 1:
        raise ConfigError(f"{where}: 'heading-ratio' must be a number above 0, at most 1")
    connectors = _words(params.get("connectors"), "connectors", where, _DEFAULT_CONNECTORS)
    if any(" " in c for c in connectors):
        raise ConfigError(f"{where}: 'connectors' must be single words")
    return ConsistencyRule(
        meta=meta,
        max_words=max_words,
        connectors=connectors,
        modifiers=_words(params.get("modifiers"), "modifiers", where),
        titles=_words(params.get("titles"), "titles", where),
        heading_ratio=float(ratio),
    )
