"""Consistency: one multi-word name written with different capitalisation in one document.

"Provincial Party Committee" in one paragraph and "provincial party Committee" in another is
an MT slip; the reader cannot tell whether the same body is meant. The engine works on the
whole document in two linear passes:

1. Collect the capitalised phrases: runs of capitalised words, possibly joined by connectors
   ("Belt and Road", "Ministry of Finance"), and every 2..``max-words`` word stretch of a run
   that starts and ends with a capitalised word ("Provincial Party Committee" inside
   "Liaoning Provincial Party Committee").
2. Find every occurrence of those phrases in any case (one Aho-Corasick pass over the lowered
   text), classify each and flag the mixed-case variants of a Title Case phrase.

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
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
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

    def __post_init__(self) -> None:
        cap = r"[A-Z][\w'’-]*+"
        joined = "|".join(
            re.escape(c) + " " for c in sorted(self.connectors, key=len, reverse=True)
        )
        link = rf"(?:{joined})*" if joined else ""
        # Starts with a character class, so the regex engine skips ahead quickly.
        self.run = re.compile(rf"{cap}(?: {link}{cap})+")

    def scan(self, ctx: ScanContext) -> Iterator[Finding]:
        """One finding per mixed-case variant of a phrase the document writes in Title Case."""
        document = ctx.document
        text = document.scan_text
        varied = self._varied(text)
        if not varied:
            return
        headings = _Headings(document, self.connectors | _SMALL_WORDS, self.heading_ratio)
        protected = ctx.protected(self.meta.protect)
        memo: dict[tuple[str, bool], str | None] = {}
        flagged: list[tuple[int, int, str]] = []
        for spans in varied:
            kinds: list[tuple[int, int, str, str]] = []
            for start, end in spans:
                written = text[start:end]
                initial = _sentence_initial(text, start)
                kind = memo.get((written, initial), "")
                if kind == "":
                    kind = memo[written, initial] = self._classify(written, initial)
                if kind is not None:
                    kinds.append((start, end, written, kind))
            if not any(k[3] == "variant" for k in kinds) or not any(k[3] == "title" for k in kinds):
                continue
            # Headings in Title Case say nothing about how the text writes a name.
            kinds = [k for k in kinds if not headings.holds(k[0])]
            titles = Counter(form for _, _, form, kind in kinds if kind == "title")
            if not titles:
                continue
            dominant = titles.most_common(1)[0][0]
            support = sum(titles.values())
            variants = Counter(form for _, _, form, kind in kinds if kind == "variant")
            for start, end, form, kind in kinds:
                if kind != "variant" or variants[form] > support:
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

    def _varied(self, text: str) -> list[list[tuple[int, int]]]:
        """Occurrences, in any case, of each phrase that is not always written the same way."""
        keys = self._phrases(text)
        if not keys:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for key in keys:
            automaton.add_word(key, (key, len(key) - 1))
        automaton.make_automaton()
        spans: dict[str, list[tuple[int, int]]] = {}
        first: dict[str, str] = {}
        varied: set[str] = set()
        size = len(text)
        for last, (key, length) in automaton.iter(lowered):
            end = last + 1
            start = last - length
            if start > 0:
                ch = text[start - 1]
                if ch.isalnum() or ch in _JOINERS:
                    continue
            if end < size:
                ch = text[end]
                if ch.isalnum() or ch in _JOINERS:
                    continue
            written = text[start:end]
            seen = first.setdefault(key, written)
            if seen != written:
                varied.add(key)
            spans.setdefault(key, []).append((start, end))
        return [spans[key] for key in sorted(varied)]

    def _phrases(self, text: str) -> set[str]:
        """Lowercased capitalised phrases of 2..max_words words that end a capitalised run.

        Stretches end where the run ends: a name cut short ("City of New" from "City of New
        York") or a title before a name ("Deputy Director Li") is not a name of its own.
        """
        keys: set[str] = set()
        connectors = self.connectors
        for match in self.run.finditer(text):
            start = match.start()
            if start > 0:
                ch = text[start - 1]
                if ch.isalnum() or ch in _JOINERS:
                    continue
            low = match.group().lower()
            words = low.split(" ")
            # A sentence-initial word is capitalised for grammar, not as part of a name.
            offset = len(words[0]) + 1 if _sentence_initial(text, start) else 0
            index = 1 if offset else 0
            count = len(words)
            for word in words[index:-1]:
                if count - index <= self.max_words and word not in connectors:
                    keys.add(low[offset:])
                offset += len(word) + 1
                index += 1
        return keys

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


def _sentence_initial(text: str, start: int) -> bool:
    """True when the word at ``start`` begins a sentence, a line or a quotation."""
    pos = start - 1
    while pos >= 0 and text[pos] in _LEAD:
        pos -= 1
    if pos < 0:
        return True
    ch = text[pos]
    return ch in _SENTENCE_END or ch in _OPEN_QUOTES


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
