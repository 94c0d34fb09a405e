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
from dataclasses import dataclass, field
from operator import itemgetter
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
#: Characters ``_preceded_by_capital`` skips at the start of the word before.
_OPENERS = "[(\"'“‘*_"
_OPENER = "[" + re.escape(_OPENERS) + "]"

# _CAPITALISED and _preceded_by_capital define what counts; _SCAN finds the same uses in one
# pass. It starts with a literal space, so the regex engine jumps from space to space (a
# pattern that starts with a lookbehind is tried at every position), and it only looks further
# at a space before a capital letter, an opening character or a non-ASCII character. There it
# captures, in five groups:
#   1-3: when the word after the space is capitalised (after any _OPENERS), the capitalised
#        use after the next space, which that word precedes (_preceded_by_capital): in group 2
#        when that word is 59 characters or longer (_preceded_by_capital then looks at the
#        start of the text instead, see _capitalised), else in group 3; group 1 holds the
#        word's first letter when that is not ASCII (and may not be a capital);
#   4-5: the capitalised use right after the space: in group 4 when the 59 characters before
#        the space hold no space, else in group 5.
_WORD = r"[A-Z][a-z]{2,}"
_ALONE = r"(?![\w'’-])(?! [A-Z])"
_USE = rf"(?<=[a-z0-9,;] ){_WORD}{_ALONE}"
_LONG = r"(?<=[^ ]{59} )"
_SCAN_SOURCE = (
    rf" (?=[A-Z{re.escape(_OPENERS)}\x80-\U0010ffff])"
    rf"(?:(?={_OPENER}*+(?:[A-Z]|([^\x00-\x7f]))[^ ]*+(?<=[a-z0-9,;]) "
    rf"(?:{_LONG}({_WORD})|({_WORD})){_ALONE})|(?={_USE}))"
    rf"(?:(?<=[a-z0-9,;] )(?:{_LONG}({_WORD})|({_WORD})){_ALONE})?"
)


def _scan_pattern() -> re.Pattern[str]:
    """``_SCAN``, compiled. A rule holds it, so the rule cache keeps its compiled code (it
    takes 3 ms to compile at every start otherwise)."""
    return re.compile(_SCAN_SOURCE)


_OPENING = re.compile(f"{_OPENER}*")
# An all-lowercase word in mid-sentence (a lowercase use of the name it spells), ASCII only:
# it counts a subset of the uses ``_lowercase_uses`` finds, so it gives a lower bound.
_LOWERCASE = re.compile(r" (?<=[a-z0-9,;] )([a-z]{3,})(?![\w'’-])")
#: Texts longer than this drop common words before the search (``WordCaseRule._names``),
#: looking at this many samples of this many characters.
_LONG_TEXT = 400_000
_SAMPLES = 8
_SAMPLE_SIZE = 16_000


@dataclass
class WordCaseRule:
    """Flags lowercase uses of a word the document treats as a name."""

    #: Counts uses across the whole document, so it is never run on a piece of one.
    scope: ClassVar[str] = "document"

    meta: RuleMeta
    min_capitalised: int = 2
    scan_pattern: re.Pattern[str] = field(default_factory=_scan_pattern, repr=False)

    def scan(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings at each lowercase use of a mid-sentence capitalised name."""
        text = ctx.document.scan_text
        capitalised = _capitalised(text, self.scan_pattern)
        names = self._names(text, capitalised)
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
            if _DETERMINER.search(text, max(0, start - 12), start):
                continue
            if protected and protected.overlaps(start, end):
                continue
            right = names[word]
            message = self.meta.message.replace("{count}", str(capitalised[right]))
            yield make_finding(self.meta, start, end, word, [right], message=message)

    def _names(self, text: str, capitalised: Counter[str]) -> dict[str, str]:
        """Lowercase form -> capitalised form of the names whose lowercase uses are searched.

        Those are the words capitalised at least ``min-capitalised`` times. A long text first
        drops the ones that cannot become candidates, as searching for their lowercase uses is
        most of the work: common words written in lowercase more often than capitalised in
        samples of the text alone ("the", "and"), then ordinary English words ("war").
        """
        names = {w.lower(): w for w, n in capitalised.items() if n >= self.min_capitalised}
        if len(text) <= _LONG_TEXT or not names:
            return names
        sample: Counter[str] = Counter()
        step = len(text) // _SAMPLES
        for start in range(0, len(text) - _SAMPLE_SIZE, step):
            # From space to space, so that no word is cut in two.
            begin = text.rfind(" ", 0, start + 1)
            end = text.rfind(" ", 0, start + _SAMPLE_SIZE)
            if begin >= 0 and end > begin:
                sample.update(_LOWERCASE.findall(text, begin, end))
        names = {low: w for low, w in names.items() if sample[low] <= capitalised[w]}
        from mtqa.cache import LEXICON

        known = LEXICON.known(set(names))
        return {low: w for low, w in names.items() if low not in known}


def _capitalised(text: str, scan: re.Pattern[str] | None = None) -> Counter[str]:
    """How often each word is a mid-sentence capitalised use not preceded by a capital.

    The uses ``_CAPITALISED`` finds, less those ``_preceded_by_capital``, counted in one
    ``_SCAN`` pass (``scan``, compiled when not given).
    """
    found = (scan or _scan_pattern()).findall(text)
    counts = Counter(filter(None, map(itemgetter(4), found)))
    after_long = Counter(filter(None, map(itemgetter(3), found)))
    preceded = Counter(filter(None, map(itemgetter(2), found)))
    for first, _, before, _, _ in filter(itemgetter(0), found):
        if before and not first.isupper():
            preceded[before] -= 1  # the word before starts with a non-ASCII non-capital
    # The word before the first space has no space before it for _SCAN to start at.
    first = text.find(" ") + 1
    if 0 < first < 60:
        use = _CAPITALISED.match(text, first)
        if use and _preceded_by_capital(text, first):
            preceded[use.group()] += 1
    # After 59 characters without a space, _preceded_by_capital looks at the start of the text.
    if after_long:
        opened = _OPENING.match(text).end()  # type: ignore[union-attr]
        if opened >= 59:
            return Counter(
                [
                    m.group()
                    for m in _CAPITALISED.finditer(text)
                    if not _preceded_by_capital(text, m.start())
                ]
            )
        counts.update(after_long)
        if text[opened].isupper():
            preceded.update(after_long)
    counts.subtract(preceded)
    return +counts


def _lowercase_uses(text: str, names: dict[str, str]) -> list[tuple[str, int, int]]:
    """(word, start, end) of each all-lowercase, mid-sentence use of a name, in one pass."""
    from mtqa.search import ByteSearch, encode

    words = list(names)
    # The space: only whole words, after a space.
    numbers, ends = ByteSearch([" " + word for word in words]).ends(encode(text), len(text))
    uses: list[tuple[str, int, int]] = []
    size = len(text)
    for number, end in zip(numbers, ends, strict=True):
        word = words[number]
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
    word = text[space + 1 : start - 1].lstrip(_OPENERS)
    return word[:1].isupper()


def compile(meta: RuleMeta, params: Mapping[str, Any], where: str) -> WordCaseRule:
    """Build the word-case rule."""
    require(params, KEYS, where)
    value = params.get("min-capitalised", 2)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}: 'min-capitalised' must be a positive number")
    return WordCaseRule(meta, value)
