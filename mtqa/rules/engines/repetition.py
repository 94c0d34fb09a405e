"""Repetition: doubled words ("the the") and coordinated duplicates ("realistic and realistic").

Parameters:
  mode: ``adjacent`` (a word written twice) or ``coordinated`` (X and X, X or X; X up to
    ``max-words`` words).
  allow: words (or phrases) whose doubling is legitimate ("had had", "again and again").
  allow-before: word -> regex; the doubling is legitimate when the text before it matches
    ("what it is is").
  allow-after: a regex; the duplicate is legitimate when the text after it matches
    ("may or may not").
  comparatives: true to leave "better and better", "faster and faster" alone.
  er-nouns: words ending in -er that are nouns, not comparatives ("paper and paper").
  continuation: true to leave "waited and waited", "talking and talking" alone: "and" between a
    past or -ing form (or one of ``irregular-past``) and itself, at the end of a clause or
    before one of ``continuation-followers``.
  conjunctions: for coordinated mode, the joining words (default and, or).
  max-words: longest duplicated phrase, in words (default 4).
  collapses: phrase -> better suggestion for known MT collapses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from mtqa.errors import ConfigError
from mtqa.inflect import match_case
from mtqa.model import Finding
from mtqa.rules.model import RuleMeta, ScanContext, compile_regex, make_finding, require

KEYS = {
    "mode",
    "allow",
    "allow-before",
    "comparatives",
    "er-nouns",
    "continuation",
    "allow-after",
    "irregular-past",
    "continuation-followers",
    "conjunctions",
    "max-words",
    "collapses",
}
_WS = r"[ \t\u00a0]+(?:\r?\n[ \t\u00a0]*)?"
_NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "hundred",
        "thousand",
        "million",
        "billion",
    ]
)
_COMPARATIVE_WORDS = frozenset({"more", "less", "fewer", "better", "worse", "further", "farther"})


def _words(value: Any, key: str, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of words")
    return frozenset(" ".join(v.lower().split()) for v in value)


@dataclass
class RepetitionRule:
    """A doubled word or coordinated duplicate, with the exceptions English allows."""

    meta: RuleMeta
    regex: re.Pattern[str]
    mode: str
    allow: frozenset[str]
    allow_before: dict[str, re.Pattern[str]] = field(default_factory=dict)
    comparatives: bool = True
    collapses: dict[str, str] = field(default_factory=dict)
    conjunction: re.Pattern[str] | None = None
    max_words: int = 4
    er_nouns: frozenset[str] = frozenset()
    continuation: bool = False
    allow_after: re.Pattern[str] | None = None
    irregular_past: frozenset[str] = frozenset()
    followers: frozenset[str] = frozenset()

    def scan(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings for every duplicate that is not an allowed construction."""
        text = ctx.document.scan_text
        protected = ctx.protected(self.meta.protect)
        if self.conjunction is not None:
            candidates: Iterable[Candidate] = self._coordinated(text)
        else:
            low = 1 if self.max_words == 1 else 2
            candidates = (c for c in adjacent_repeats(ctx) if low <= c.words <= self.max_words)
        for candidate in candidates:
            if protected and protected.overlaps(candidate.start, candidate.end):
                continue
            if self._legitimate(candidate.first, candidate.second, text, candidate.start):
                continue
            if self.conjunction is not None and self._continuation(candidate, text):
                continue
            if self.allow_after is not None and self.allow_after.match(text, candidate.end):
                continue
            if self.conjunction is not None and self._differently_modified(candidate, text):
                continue
            yield self._finding(candidate, text)

    def _coordinated(self, text: str) -> Iterator[Candidate]:
        """Only look where a conjunction is followed by a word that also stands just before it.

        Trying the back-referencing pattern at every word would cost a regex attempt per word;
        conjunctions are rarer, and most fail the cheap substring test below.
        """
        assert self.conjunction is not None
        lowered = text.lower()
        if len(lowered) != len(text):
            lowered = text  # case changes length (rare scripts): compare as written
        last_end = 0
        for conj in self.conjunction.finditer(lowered):
            gap = conj.start()
            while gap > 0 and lowered[gap - 1] in " \t\u00a0\r\n":
                gap -= 1
            window_start = max(last_end, gap - 120)
            if conj.group("after") not in lowered[window_start:gap]:
                continue
            # Try the longest phrase first, starting at each word boundary before the conjunction.
            for start in _word_starts(text, window_start, gap, self.max_words):
                match = self.regex.match(text, start)
                if match is not None and match.end("first") == gap:
                    last_end = match.end()
                    first = match.group("first")
                    yield Candidate(
                        start,
                        match.end("first"),
                        match.end(),
                        first,
                        match.group("second"),
                        len(first.split()),
                    )
                    break

    def _legitimate(self, first: str, second: str, text: str, start: int) -> bool:
        phrase = " ".join(first.lower().split())
        if phrase in self.allow:
            return True
        words = phrase.split()
        if len(words) > 1 and len(set(words)) == 1:
            return True  # "go go go go" is a run of one doubled word, reported once as such
        before = self.allow_before.get(phrase)
        if before is not None and before.search(text, max(0, start - 60), start):
            return True
        if all(w.isdigit() or w in _NUMBER_WORDS for w in words):
            return True  # "one and one", "2 2" in lists of figures
        # Proper names: "Walla Walla", "Johnson and Johnson", unless a sentence begins there.
        if first[:1].isupper() and second[:1].isupper() and first != first.upper():
            return True
        if first.isupper() and second.isupper() and len(first) > 1:
            return True  # acronyms such as "NN NN" in technical text
        return self.comparatives and len(words) == 1 and self._comparative(words[0])

    @staticmethod
    def _differently_modified(candidate: Candidate, text: str) -> bool:
        """ "floating-point numbers or numbers in scientific notation": the first copy has a
        compound modifier of its own, so the two copies name different things."""
        if candidate.words != 1:
            return False
        before = text[max(0, candidate.start - 40) : candidate.start].rstrip()
        last = before.rsplit(None, 1)[-1] if before.split() else ""
        return "-" in last.strip("-") and last[:1].isalnum()

    def _continuation(self, candidate: Candidate, text: str) -> bool:
        """ "She waited and waited.": a verb repeated to say an action went on.

        Only "and", only a past or -ing form, and only where the pair ends the clause or a
        word of ``continuation-followers`` comes next ("waited and waited for the bus").
        "trained and trained teams", "underlined and underlined the need" and "killed or
        killed" are still flagged.
        """
        if not self.continuation or candidate.words != 1:
            return False
        word = candidate.first.lower()
        if not (word.endswith(("ed", "ing")) or word in self.irregular_past):
            return False
        middle = text[candidate.first_end : candidate.end - len(candidate.second)].lower()
        if middle.split() != ["and"]:
            return False
        rest = text[candidate.end : candidate.end + 40]
        if not rest.strip() or rest.lstrip()[:1] in ".,;:!?)\"”'’\x00":
            return True
        following = _NEXT_WORD.match(rest)
        return following is not None and following.group(1).lower() in self.followers

    def _comparative(self, word: str) -> bool:
        """ "faster and faster": an -er word doubled is a comparative unless it is a known noun.

        A pronouncing or inflection dictionary would answer exactly but costs most of a second
        to load; "paper and paper" style nouns are listed in the pack instead (``er-nouns``).
        """
        if word in _COMPARATIVE_WORDS:
            return True
        return word.endswith("er") and len(word) > 3 and word not in self.er_nouns

    def _finding(self, candidate: Candidate, text: str) -> Finding:
        start, end, first = candidate.start, candidate.end, candidate.first
        flagged = text[start:end]
        better = self.collapses.get(" ".join(flagged.lower().split()))
        suggestions = [first]
        if self.conjunction is None:
            # Remove the repeated copies and the space before them.
            fix_span, fix_text = (candidate.first_end, end), ""
        else:
            fix_span, fix_text = (start, end), first
        if better:
            suggestions = [match_case(flagged, better), *suggestions]
            fix_span, fix_text = (start, end), suggestions[0]
        return make_finding(
            self.meta,
            start,
            end,
            flagged,
            suggestions,
            message=self.meta.message.replace("{word}", first),
            fix_span=fix_span,
            fix_text=fix_text,
        )


@dataclass(frozen=True)
class Candidate:
    """A repeated word or phrase: the first copy ends at ``first_end``, the repeat at ``end``."""

    start: int
    first_end: int
    end: int
    first: str
    second: str
    words: int


_ADJACENT_MAX = 3
_WORD = r"[^\W\d_][\w'’]*+"
_ADJACENT = re.compile(
    rf"\b(?P<first>{_WORD}(?:[ \t\u00a0]+{_WORD}){{0,{_ADJACENT_MAX - 1}}})"
    rf"(?:{_WS})(?P=first)(?![\w'’+#-])",
    re.IGNORECASE,
)


def adjacent_repeats(ctx: ScanContext) -> list[Candidate]:
    """Words and phrases of up to three words written twice in a row, found in one pass.

    Shared by the doubled-word and doubled-phrase rules through the scan context's cache.
    A run of one word ("very very very") is one candidate of one word covering the run.
    """
    cached: list[Candidate] | None = ctx.cache.get("repetition:adjacent")
    if cached is not None:
        return cached
    text = ctx.document.scan_text
    out: list[Candidate] = []
    pos = 0
    while (match := _ADJACENT.search(text, pos)) is not None:
        pos = match.end()
        first = match.group("first")
        words = first.split()
        if len(words) > 1 and len({w.lower() for w in words}) == 1:
            first = words[0]
        first_end = match.start() + len(first)
        second = text[first_end:pos].split()[0]
        out.append(Candidate(match.start(), first_end, pos, first, second, len(first.split())))
    ctx.cache["repetition:adjacent"] = out
    return out


def compile(meta: RuleMeta, params: Mapping[str, Any], where: str) -> RepetitionRule:
    """Build the doubled-word or coordinated-duplicate matcher."""
    require(params, KEYS, where)
    mode = params.get("mode", "adjacent")
    if mode not in ("adjacent", "coordinated"):
        raise ConfigError(f"{where}: 'mode' must be adjacent or coordinated")
    max_words = params.get("max-words", 1 if mode == "adjacent" else 4)
    if isinstance(max_words, bool) or not isinstance(max_words, int) or not 1 <= max_words <= 8:
        raise ConfigError(f"{where}: 'max-words' must be a number from 1 to 8")
    word = _WORD
    conjunction = None
    if mode == "adjacent":
        if max_words > _ADJACENT_MAX:
            raise ConfigError(f"{where}: 'max-words' is at most {_ADJACENT_MAX} in adjacent mode")
        pattern = _ADJACENT.pattern
    else:
        conjunctions = _words(params.get("conjunctions", ["and", "or"]), "conjunctions", where)
        joined = "|".join(re.escape(c) for c in sorted(conjunctions))
        phrase = rf"{word}(?:[ \t\u00a0]+{word}){{0,{max_words - 1}}}"
        pattern = (
            rf"(?P<first>{phrase})(?:{_WS})(?:{joined})(?:{_WS})"
            rf"(?P<second>(?P=first))(?![\w'’+#-])"
        )
        # One whitespace character, then the conjunction: a pattern that starts with a
        # character class lets the regex engine skip ahead quickly.
        conjunction = re.compile(rf"[ \t\u00a0\n](?:{joined})(?:{_WS})(?P<after>{word})")
    regex = compile_regex(pattern, where)
    allow_before: dict[str, re.Pattern[str]] = {}
    raw_before = params.get("allow-before") or {}
    if not isinstance(raw_before, dict):
        raise ConfigError(f"{where}: 'allow-before' must map a word to a regex")
    for key, value in raw_before.items():
        allow_before[str(key).lower()] = compile_regex(
            f"(?:{value})\\W*$", f"{where}: allow-before"
        )
    collapses = params.get("collapses") or {}
    if not isinstance(collapses, dict):
        raise ConfigError(f"{where}: 'collapses' must map a phrase to a suggestion")
    comparatives = params.get("comparatives", True)
    if not isinstance(comparatives, bool):
        raise ConfigError(f"{where}: 'comparatives' must be true or false")
    return RepetitionRule(
        meta=meta,
        regex=regex,
        mode=mode,
        allow=_words(params.get("allow"), "allow", where),
        allow_before=allow_before,
        comparatives=comparatives,
        collapses={" ".join(k.lower().split()): str(v) for k, v in collapses.items()},
        conjunction=conjunction,
        max_words=max_words,
        er_nouns=_words(params.get("er-nouns"), "er-nouns", where),
        continuation=_flag(params, "continuation", where),
        allow_after=(
            compile_regex(str(params["allow-after"]), f"{where}: allow-after")
            if params.get("allow-after") is not None
            else None
        ),
        irregular_past=_words(params.get("irregular-past"), "irregular-past", where),
        followers=_words(params.get("continuation-followers"), "continuation-followers", where),
    )


_NEXT_WORD = re.compile(r"[ \t\u00a0\n]*([^\W\d_][\w'’]*)")


def _flag(params: Mapping[str, Any], key: str, where: str) -> bool:
    value = params.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: '{key}' must be true or false")
    return value


_WORD_START = re.compile(r"(?<![\w'’-])[^\W\d_]")


def _word_starts(text: str, start: int, end: int, limit: int) -> list[int]:
    """Offsets of the last ``limit`` word starts in text[start:end], earliest first."""
    starts = [m.start() for m in _WORD_START.finditer(text, start, end)]
    return starts[-limit:]
