"""Repetition: doubled words ("the the") and coordinated duplicates ("realistic and realistic").

Parameters:
  mode: ``adjacent`` (a word written twice) or ``coordinated`` (X and X, X or X; X up to
    ``max-words`` words).
  allow: words (or phrases) whose doubling is legitimate ("had had", "again and again").
  allow-before: word -> regex; the doubling is legitimate when the text before it matches
    ("what it is is").
  comparatives: true to leave "better and better", "faster and faster" alone.
  conjunctions: for coordinated mode, the joining words (default and, or).
  max-words: longest duplicated phrase, in words (default 4).
  collapses: phrase -> better suggestion for known MT collapses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from mtqa.errors import ConfigError
from mtqa.inflect import match_case, tag_of
from mtqa.rules.model import RuleMeta, ScanContext, compile_regex, make_finding, require
from mtqa.model import Finding

KEYS = {"mode", "allow", "allow-before", "comparatives", "conjunctions", "max-words", "collapses"}
_WS = r"[ \t\u00a0]+(?:\r?\n[ \t\u00a0]*)?"
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten hundred thousand million billion".split()
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

    def scan(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings for every duplicate that is not an allowed construction."""
        text = ctx.document.scan_text
        protected = ctx.protected(self.meta.protect)
        candidates = self._coordinated(text) if self.conjunction else self._adjacent(text)
        for match in candidates:
            first, second = match.group("first"), match.group("second")
            start, end = match.span()
            if protected and protected.overlaps(start, end):
                continue
            if self._legitimate(first, second, text, start):
                continue
            yield self._finding(match, first, second)

    def _adjacent(self, text: str) -> Iterator[re.Match[str]]:
        pos = 0
        while (match := self.regex.search(text, pos)) is not None:
            pos = match.end()  # "very very very": one finding for the run
            yield match

    def _coordinated(self, text: str) -> Iterator[re.Match[str]]:
        """Only look where a conjunction is followed by a word that also stands just before it.

        Trying the back-referencing pattern at every word would cost a regex attempt per word;
        conjunctions are rare by comparison, and most fail the cheap substring test.
        """
        assert self.conjunction is not None
        last_end = 0
        for conj in self.conjunction.finditer(text):
            after = conj.group("after").lower()
            window_start = max(last_end, conj.start() - 120)
            if after not in text[window_start : conj.start()].lower():
                continue
            # Try the longest phrase first, starting at each word boundary before the conjunction.
            for start in _word_starts(text, window_start, conj.start(), self.max_words):
                match = self.regex.match(text, start)
                if match is not None and match.end("first") == conj.start(1):
                    last_end = match.end()
                    yield match
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
        if self.comparatives and len(words) == 1 and self._comparative(words[0]):
            return True
        return False

    @staticmethod
    def _comparative(word: str) -> bool:
        if word in _COMPARATIVE_WORDS:
            return True
        if word.endswith("er") and len(word) > 3:
            return tag_of(word) in ("JJR", "RBR")
        return False

    def _finding(self, match: re.Match[str], first: str, second: str) -> Finding:
        start, end = match.span()
        flagged = match.group()
        key = " ".join(flagged.lower().split())
        better = self.collapses.get(key)
        if self.mode == "adjacent":
            # Remove the second copy and the space before it.
            fix_start = match.end("first")
            suggestions = [first]
            fix_span = (fix_start, end)
            fix_text = ""
        else:
            suggestions = [first]
            fix_span = (start, end)
            fix_text = first
        if better:
            suggestions = [match_case(flagged, better), *suggestions]
            fix_text = suggestions[0]
            fix_span = (start, end)
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


def compile(meta: RuleMeta, params: Mapping[str, Any], where: str) -> RepetitionRule:
    """Build the doubled-word or coordinated-duplicate matcher."""
    require(params, KEYS, where)
    mode = params.get("mode", "adjacent")
    if mode not in ("adjacent", "coordinated"):
        raise ConfigError(f"{where}: 'mode' must be adjacent or coordinated")
    max_words = params.get("max-words", 1 if mode == "adjacent" else 4)
    if isinstance(max_words, bool) or not isinstance(max_words, int) or not 1 <= max_words <= 8:
        raise ConfigError(f"{where}: 'max-words' must be a number from 1 to 8")
    word = r"[^\W\d_][\w'’]*+"
    conjunction = None
    if mode == "adjacent":
        pattern = rf"\b(?P<first>{word})(?:{_WS})(?P<second>(?P=first))(?![\w'’-])"
        if max_words > 1:
            # A doubled phrase of two or more words; single words are another rule's job.
            pattern = rf"\b(?P<first>{word}(?:[ \t\u00a0]+{word}){{1,{max_words - 1}}})"
            pattern += rf"(?:{_WS})(?P<second>(?P=first))(?![\w'’-])"
    else:
        conjunctions = _words(params.get("conjunctions", ["and", "or"]), "conjunctions", where)
        joined = "|".join(re.escape(c) for c in sorted(conjunctions))
        phrase = rf"{word}(?:[ \t\u00a0]+{word}){{0,{max_words - 1}}}"
        pattern = (
            rf"(?P<first>{phrase})(?:{_WS})(?:{joined})(?:{_WS})"
            rf"(?P<second>(?P=first))(?![\w'’-])"
        )
        conjunction = re.compile(
            rf"(?<=[\w'’])((?:{_WS})(?:{joined})(?:{_WS}))(?P<after>{word})", re.IGNORECASE
        )
    regex = compile_regex(pattern, where)
    allow_before: dict[str, re.Pattern[str]] = {}
    raw_before = params.get("allow-before") or {}
    if not isinstance(raw_before, dict):
        raise ConfigError(f"{where}: 'allow-before' must map a word to a regex")
    for key, value in raw_before.items():
        allow_before[str(key).lower()] = compile_regex(f"(?:{value})\\W*$", f"{where}: allow-before")
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
    )


_WORD_START = re.compile(r"(?<![\w'’-])[^\W\d_]")


def _word_starts(text: str, start: int, end: int, limit: int) -> list[int]:
    """Offsets of the last ``limit`` word starts in text[start:end], earliest first."""
    starts = [m.start() for m in _WORD_START.finditer(text, start, end)]
    return starts[-limit:]
