"""Word case: a single-word name written capitalised in a document and lowercase elsewhere.

MT lowercases names it does not recognise: "Sinopec said ... sinopec will ...". A word counts as
a name when the document capitalises it in mid-sentence at least ``min-capitalised`` times and
at least as often as it writes it in lowercase, and it is not an ordinary English word (so
"Apple" and "apple", "Party" and "party" are left alone).

Parameters:
  min-capitalised: how many mid-sentence capitalised uses make a word a name (default 2).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from mtqa.errors import ConfigError
from mtqa.model import Finding
from mtqa.rules.model import RuleMeta, ScanContext, make_finding, require

KEYS = {"min-capitalised"}
# A capitalised word standing alone in mid-sentence: after a lowercase word (or a digit or
# comma) and one space, and not followed by another capitalised word ("Roman Empire" is a
# name of two words; it does not make "Empire" alone a name).
_CAPITALISED = re.compile(r"(?<=[a-z0-9,;] )[A-Z][a-z]{2,}(?![\w'’-])(?! [A-Z])")
# After these a lowercase word is a common noun ("the empire", "a profiler").
_DETERMINER = re.compile(
    r"\b(?:the|a|an|this|that|these|those|his|her|its|their|our|my|your|every|each|no|any|"
    r"some|one)\s+$",
    re.IGNORECASE,
)


@dataclass
class WordCaseRule:
    """Flags lowercase uses of a word the document treats as a name."""

    #: Counts uses across the whole document, so it is never run on a piece of one.
    scope: ClassVar[str] = "document"

    meta: RuleMeta
    min_capitalised: int = 2

    def scan(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings at each lowercase use of a mid-sentence capitalised name."""
        text = ctx.document.scan_text
        capitalised = Counter(
            [
                m.group()
                for m in _CAPITALISED.finditer(text)
                if not _preceded_by_capital(text, m.start())
            ]
        )
        names = {w.lower(): w for w, n in capitalised.items() if n >= self.min_capitalised}
        if not names:
            return
        lowered = _lowercase_uses(text, names)
        if not lowered:
            return
        uses = Counter(word for word, _, _ in lowered)
        candidates = {w for w, n in uses.items() if capitalised[names[w]] >= n}
        if not candidates:
            return
        from mtqa.cache import LEXICON

        candidates -= LEXICON.known(candidates)
        protected = ctx.protected(self.meta.protect)
        for word, start, end in lowered:
            if word not in candidates:
                continue
            if protected and protected.overlaps(start, end):
                continue
            if _DETERMINER.search(text, max(0, start - 12), start):
                continue
            right = names[word]
            message = self.meta.message.replace("{count}", str(capitalised[right]))
            yield make_finding(self.meta, start, end, word, [right], message=message)


def _lowercase_uses(text: str, names: dict[str, str]) -> list[tuple[str, int, int]]:
    """(word, start, end) of each all-lowercase, mid-sentence use of a name, in one pass."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for key in names:
        automaton.add_word(" " + key, key)  # the space: only whole words, after a space
    automaton.make_automaton()
    uses: list[tuple[str, int, int]] = []
    size = len(text)
    for last, word in automaton.iter(text):
        end = last + 1
        start = end - len(word)
        if end < size and (text[end].isalnum() or text[end] in "_'’-"):
            continue
        # Mid-sentence: one space after a lowercase letter, a digit or a comma.
        if start < 2 or not (
            text[start - 2].islower() or text[start - 2].isdigit() or text[start - 2] in ",;"
        ):
            continue
        uses.append((word, start, end))
    return uses


def _preceded_by_capital(text: str, start: int) -> bool:
    """True when the word before ``start`` is capitalised (part of a longer name)."""
    space = text.rfind(" ", max(0, start - 60), start - 1)
    word = text[space + 1 : start - 1].lstrip("[(\"'“‘*_")
    return word[:1].isupper()


def compile(meta: RuleMeta, params: Mapping[str, Any], where: str) -> WordCaseRule:
    """Build the word-case rule."""
    require(params, KEYS, where)
    value = params.get("min-capitalised", 2)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}: 'min-capitalised' must be a positive number")
    return WordCaseRule(meta, value)
