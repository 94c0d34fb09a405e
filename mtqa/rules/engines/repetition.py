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

import codecs
import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import accumulate
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
    #: the conjunctions as folded tokens; None when one does not fold to a single token
    conjunction_tokens: tuple[bytes, ...] | None = None

    def scan(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings for every duplicate that is not an allowed construction."""
        text = ctx.document.scan_text
        protected = ctx.protected(self.meta.protect)
        if self.conjunction is not None:
            candidates: Iterable[Candidate] = self._coordinated(ctx)
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

    def _coordinated(self, ctx: ScanContext) -> Iterator[Candidate]:
        """Only look where a conjunction is followed by a word that also stands just before it.

        Trying the back-referencing pattern at every word would cost a regex attempt per word;
        conjunctions are rarer, and most fail the cheap substring test below. Only the units
        that the folded tokens show to hold such a conjunction are searched (see
        :class:`_Folded`); the others cannot yield a candidate, so skipping them changes
        nothing, ``last_end`` included.
        """
        assert self.conjunction is not None
        text = ctx.document.scan_text
        # Lowercasing keeps the length unless there is a dotted capital I (checked in the tests).
        lowercase = "\u0130" not in text
        if self.conjunction_tokens is None:
            spans = [(0, len(text))]
        else:
            spans = _folded(ctx).coordinated_spans(self.conjunction_tokens, self.max_words)
        last_end = 0
        for begin, stop in spans:
            # The look-back window reaches 120 characters before the unit. Lowercasing from a
            # unit separator to a unit separator gives the same characters as lowercasing the
            # whole text: the final-sigma rule looks no further than a separator.
            base = text.rfind("\x00", 0, max(0, begin - 120)) + 1
            lowered = text[base:stop].lower() if lowercase else text[base:stop]
            for conj in self.conjunction.finditer(lowered, begin - base):
                gap = base + conj.start()
                while gap > 0 and lowered[gap - 1 - base] in " \t\u00a0\r\n":
                    gap -= 1
                window_start = max(last_end, gap - 120)
                if conj.group("after") not in lowered[window_start - base : gap - base]:
                    continue
                # Try the longest phrase first, starting at each word boundary before the
                # conjunction.
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
    The regex runs only on the units that :func:`_folded` says may hold a repeat; it finds
    exactly what it would find over the whole text, as no match crosses a unit separator.
    """
    cached: list[Candidate] | None = ctx.cache.get("repetition:adjacent")
    if cached is not None:
        return cached
    text = ctx.document.scan_text
    out: list[Candidate] = []
    for begin, stop in _folded(ctx).adjacent_spans():
        pos = begin
        while (match := _ADJACENT.search(text, pos, stop)) is not None:
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


# ---------------------------------------------------------------------------------------------
# Finding the few units that can hold a repeat, at the speed of C string methods.
#
# Trying the back-referencing patterns at every word costs a regex attempt per word, most of a
# third of a second for 45,000 sentences. Instead the scan text is *folded* to one byte per
# character: a word character to its lowercase if that is in Latin-1 and to "ª" otherwise,
# apostrophes to "'", unit separators stay "\x00" and everything else becomes a space. Every
# whitespace-separated token of the folded text is then summed up by its first two and last
# two bytes (see :class:`_Folded`), and the summaries of neighbouring tokens are compared in
# bulk. Only the units where the summaries show a repeat, or where an apostrophe could glue a
# repeat's first word to the word before ("don't t"), are searched with the exact regex.
#
# Why this never misses a unit: two characters that an IGNORECASE back-reference takes as equal
# fold to the same byte (checked for every character in the tests), word characters and
# apostrophes fold to non-space bytes, and the characters the patterns allow between and after
# words fold to spaces. So a repeat "w1 .. wk w1 .. wk" (k <= 3) shows as k folded tokens,
# each starting with a letter ("ª" counts as one), followed by the same k tokens, unless the
# character before w1 is an apostrophe, which :data:`_GLUED` looks for; equal tokens have
# equal summaries. A coordinated duplicate "X and X" shows as the tokens of X on both sides of
# the conjunction's own token: the pattern puts whitespace around the conjunction, and the
# first word of X cannot follow an apostrophe (see :data:`_WORD_START`).

_MARK = b"\x00"  # token between two units
_OTHER_LETTER = "\u00aa"  # "ª", the fold of every word character outside Latin-1


def _fold_table() -> bytes:
    table = bytearray(b" " * 256)
    for byte in range(256):
        char = chr(byte)
        if char in "\x00'":
            table[byte] = byte
        elif char.isalnum() or char == "_":  # \w
            table[byte] = ord(char.lower())  # a single Latin-1 character for every letter
    return bytes(table)


_FOLD = _fold_table()
#: Folded bytes that can start a word of the patterns (``[^\W\d_]``), and "ª".
_WORD_START_BYTES = frozenset(
    _FOLD[byte] for byte in range(256) if re.match(r"[^\W\d_]", chr(byte)) is not None
)
#: 0 for the folded bytes that can start a word of the patterns, 1 for the others.
_NOT_WORD_START = bytes(0 if byte in _WORD_START_BYTES else 1 for byte in range(256))
#: 1 for the bytes of folded text that belong to a token, 0 for spaces.
_IN_TOKEN = bytes(0 if byte == ord(" ") else 1 for byte in range(256))
#: A repeat whose first word follows an apostrophe, in folded text ("don't t", "'the the").
_GLUED = re.compile(rb"'([^ \x00]+(?: +[^ \x00]+){0,2}) +\1(?![^ \x00])")


class _WideFold(dict[int, str]):
    """Characters outside Latin-1 -> the Latin-1 character whose fold stands for them."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        lower = "i" if code == 0x130 else char.lower()  # "İ" lowercases to "i" + a dot
        if len(lower) == 1 and ord(lower) < 256:
            folded = lower  # "K" (Kelvin sign), "Å" (Angstrom sign), "Ÿ", "ẞ"
        elif char.isalnum():
            folded = _OTHER_LETTER
        elif char == "\u2019":
            folded = "'"
        else:
            folded = " "
        self[code] = folded
        return folded


_WIDE_FOLD = _WideFold()


def _fold_wide(error: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: fold a run of characters outside Latin-1, one for one."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return error.object[error.start : error.end].translate(_WIDE_FOLD), error.end


codecs.register_error("mtqa.fold", _fold_wide)


def fold(text: str) -> bytes:
    """``text`` with one byte per character, as described above.

    The Latin-1 codec copies most characters at C speed; only runs of other characters go
    through :func:`_fold_wide`.
    """
    return text.encode("latin-1", "mtqa.fold").translate(_FOLD)


class _Folded:
    """A document's folded text, summed up by the two bytes at each end of every token.

    Splitting the text into 700,000 token objects and comparing them costs most of the time
    this prefilter saves; instead each token is represented by its *heads* (first two bytes,
    or the byte and a space) and *tails* (last two bytes, or a space and the byte), cut out of
    the folded text for all tokens at once with integer arithmetic. Equal tokens have equal
    heads and tails, so comparing those finds every repeat, and on English text little else.
    Between the tokens of two units stands one marker token, "\x01", per unit separator.
    """

    def __init__(self, text: str) -> None:
        self.folded = fold(text)
        #: the folded text between separators; most are units, runs of separators give b""
        self.segments = tuple(self.folded.split(_MARK))
        #: total length of the segments before each segment
        self.before = tuple(accumulate(map(len, self.segments), initial=0))
        joined = b" " + self.folded.replace(_MARK, b" \x01 ") + b" "
        # As integers (byte i of the text is byte i of the number), with one bit per byte
        # marking the bytes of tokens: a token's first byte is one whose predecessor is not.
        inside = int.from_bytes(joined.translate(_IN_TOKEN), "little")
        first = inside & ~(inside << 8)
        last = inside & ~(inside >> 8)
        whole = int.from_bytes(joined, "little")
        size = len(joined)
        # Tokens are at least two bytes apart, so multiplying the one-bit marks by 0xFFFF
        # makes disjoint two-byte masks: the first byte and the next, the last and the one
        # before (there is always one: the text starts with a space).
        #: two bytes per token, in order (no token byte is zero, so deleting zeros keeps them)
        self.heads = _nonzero((whole & first * 0xFFFF).to_bytes(size, "little"))
        self.tails = _nonzero((whole & (last * 0xFFFF) >> 8).to_bytes(size, "little"))
        #: the first byte of every token: b"\x01" for exactly the unit markers
        self.firsts = self.heads[::2]
        self.count = len(self.firsts)
        self._heads = int.from_bytes(self.heads, "little")
        self._tails = int.from_bytes(self.tails, "little")
        # A non-zero lane for each token that cannot be a word of a repeat: it does not start
        # like one, or it is a marker.
        low_bytes = int.from_bytes(b"\xff\x00" * self.count, "little")
        self._not_words = (
            int.from_bytes(self.heads.translate(_NOT_WORD_START), "little") & low_bytes
        )

    def span(self, segment: int) -> tuple[int, int]:
        """Offsets of a segment in the text (the nth segment follows n separators)."""
        start = self.before[segment] + segment
        return start, start + len(self.segments[segment])

    def span_at(self, offset: int) -> tuple[int, int]:
        """Offsets of the segment holding the character at ``offset``."""
        start = self.folded.rfind(_MARK, 0, offset) + 1
        end = self.folded.find(_MARK, offset)
        return start, len(self.folded) if end < 0 else end

    def spans_of_tokens(self, indices: Iterable[int]) -> set[tuple[int, int]]:
        """The segments holding the tokens at ``indices`` (sorted ascending)."""
        out: set[tuple[int, int]] = set()
        firsts = self.firsts
        previous = segment = 0
        next_mark = -1
        for index in indices:
            if index < next_mark:
                continue  # in the segment of the previous index
            segment += firsts.count(1, previous, index)  # markers in between
            previous = index
            next_mark = firsts.find(1, index)
            out.add(self.span(segment))
        return out

    def adjacent_spans(self) -> list[tuple[int, int]]:
        """Segments where :data:`_ADJACENT` may match, in text order."""
        hits = sorted(
            i for distance in range(1, _ADJACENT_MAX + 1) for i in self._repeats(distance)
        )
        spans = self.spans_of_tokens(hits)
        spans.update(self.span_at(m.start()) for m in _GLUED.finditer(self.folded))
        return sorted(spans)

    def coordinated_spans(
        self, conjunctions: Iterable[bytes], max_words: int
    ) -> list[tuple[int, int]]:
        """Segments where a conjunction joins a phrase of up to ``max_words`` words to itself."""
        heads, tails, firsts = self.heads, self.tails, self.firsts
        hits: list[int] = []
        for conjunction in conjunctions:
            for index in self._tokens_like(conjunction):
                # The tails of the last word before the conjunction first (a match at an odd
                # offset only costs the check below), then the whole phrase.
                end = 2 * index
                if tails.find(tails[end - 2 : end], end + 2, end + 2 + 2 * max_words) < 0:
                    continue
                for words in range(1, min(max_words, index, self.count - 1 - index) + 1):
                    start, after = end - 2 * words, end + 2
                    if (
                        tails[start:end] == tails[after : after + 2 * words]
                        and heads[start:end] == heads[after : after + 2 * words]
                        and firsts[index - words] in _WORD_START_BYTES
                        and 1 not in firsts[index - words : index]
                    ):
                        hits.append(index)
                        break
        hits.sort()
        return sorted(self.spans_of_tokens(hits))

    def _repeats(self, distance: int) -> list[int]:
        """Indices i where `distance` tokens from i start like words and have the ends of the
        `distance` tokens after them."""
        shift = 16 * distance
        differences = (self._heads ^ (self._heads >> shift)) | (
            self._tails ^ (self._tails >> shift)
        )
        differences |= self._not_words
        runs = differences
        for step in range(1, distance):
            runs |= differences >> (16 * step)
        return self._zero_lanes(runs, self.count - 2 * distance + 1)

    def _tokens_like(self, token: bytes) -> list[int]:
        """Indices of the tokens with the heads and tails of ``token``."""
        head, tail = (token[:2], token[-2:]) if len(token) > 1 else (token + b" ", b" " + token)
        differences = (self._heads ^ int.from_bytes(head * self.count, "little")) | (
            self._tails ^ int.from_bytes(tail * self.count, "little")
        )
        return self._zero_lanes(differences, self.count)

    def _zero_lanes(self, value: int, lanes: int) -> list[int]:
        """Indices below ``lanes`` of the zero two-byte lanes of ``value`` (one per token)."""
        if lanes <= 0:
            return []
        # Each lane's low byte ORed with its high byte is zero exactly for a zero lane.
        merged = (value | value >> 8).to_bytes(2 * self.count, "little")[: 2 * lanes : 2]
        pieces = merged.split(b"\x00")
        # The nth zero byte follows n earlier ones and the pieces before it.
        return list(map(operator.add, accumulate(map(len, pieces)), range(len(pieces) - 1)))


def _nonzero(data: bytes) -> bytes:
    """``data`` without its zero bytes."""
    return data.translate(None, b"\x00")


def _folded(ctx: ScanContext) -> _Folded:
    """The folded text of the document, built once per document."""
    folded: _Folded | None = ctx.cache.get("repetition:folded")
    if folded is None:
        folded = _Folded(ctx.document.scan_text)
        ctx.cache["repetition:folded"] = folded
    return folded


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
    conjunction_tokens = None
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
        conjunction_tokens = _conjunction_tokens(conjunctions)
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
        conjunction_tokens=conjunction_tokens,
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


def _conjunction_tokens(conjunctions: Iterable[str]) -> tuple[bytes, ...] | None:
    """The conjunctions as folded tokens, or None unless each is ASCII letters and digits.

    Such a conjunction folds to itself, and so does every way of writing it that lowercases to
    it; other conjunctions leave the rule to search the whole text.
    """
    tokens = []
    for conjunction in sorted(conjunctions):
        token = fold(conjunction)
        if token != conjunction.encode("latin-1", "replace") or not token.isalnum():
            return None
        tokens.append(token)
    return tuple(tokens)


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
