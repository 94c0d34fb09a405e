"""The compiled term matcher: every surface form of every term in one Aho-Corasick automaton.

Text is matched word by word, not character by character. Each distinct glossary word gets
one code point; the text is lower-cased, split into words and separators, and turned into a
string of codes (unknown words all share one code). The automaton then walks a string about
a third as long as the text, and stays at its root for every word no term contains, so a
glossary of 100,000 terms costs about what one of 10 does. Word boundaries come for free
(a word is one code), hyphens and spaces between words are the same separator, and matches
never cross a unit boundary (the ``\\x00`` of the scan text is a hard break).
"""

from __future__ import annotations

import dataclasses
import gc
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, NamedTuple

from mtqa.glossary.forms import Form, term_forms
from mtqa.glossary.model import (
    APPROVED_STATUSES,
    FLAGGED_STATUSES,
    Entry,
    Glossary,
    Term,
    primary,
)

#: Bump when the compiled layout or the form generation changes: old caches are ignored.
MATCHER_VERSION = 6

_SPLIT = re.compile(r"([^\W_]+)")
_BREAK = "\x01"  # punctuation that ends a phrase, and unit separators
_DIGITS = 32  # a word code is _WIDTH "digits" U+0100..U+011F: at most 32 children per node
_WIDTH = 4  # 32**4: a million distinct words
_BLOCK = _WIDTH + 1  # one separator and one word
_UNKNOWN = "\x02" * _WIDTH  # any word that no term contains
_GLUE = "\x03"  # spaces, hyphens, apostrophes between two words
_COMMA = "\x04"
_KEPT_PUNCT = frozenset("./&:+")
_HYPHENS = frozenset("-\u2010\u2011")
_APOSTROPHES = frozenset("'\u2019")
_SPACES = " \t\r\n\u00a0\u2009\u202f"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")

_sep_cache: dict[str, str] = {}


def _sep_code(sep: str) -> str:
    """The code of the text between two words."""
    code = _sep_cache.get(sep)
    if code is not None:
        return code
    if "\x00" in sep:
        code = _BREAK
    else:
        core = sep.strip(_SPACES)
        if not core or (len(core) == 1 and (core in _HYPHENS or core in _APOSTROPHES)):
            code = _GLUE
        elif core == ",":
            code = _COMMA
        elif len(core) == 1 and core in _KEPT_PUNCT:
            code = core
        else:
            code = _BREAK
    if len(_sep_cache) > 20000:
        _sep_cache.clear()
    _sep_cache[sep] = code
    return code


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@dataclass
class Encoded:
    """A text as a code string: per part one separator code or a three-character word code.

    ``starts[k]`` is the character offset of part ``k`` (even: separator, odd: word).
    """

    codes: str
    starts: list[int]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character span of the code characters ``first`` to ``last`` inclusive.

        Every word code is ``_WIDTH`` characters and every separator 1, so character ``q``
        of the code string belongs to part ``2 * (q // _BLOCK)`` (a separator) or the word
        after it.
        """
        first_part = 2 * (first // _BLOCK) + (1 if first % _BLOCK else 0)
        last_part = 2 * (last // _BLOCK) + (1 if last % _BLOCK else 0)
        return self.starts[first_part], self.starts[last_part + 1]


def split_words(text: str) -> tuple[list[str], list[str]]:
    """(words, separators) of lower-cased text; separators[i] precedes words[i]."""
    parts = _SPLIT.split(text.lower())
    return parts[1::2], parts[0::2]


def is_cjk(text: str) -> bool:
    """True when the text contains Chinese, Japanese or Korean characters."""
    return _CJK.search(text) is not None


class Pattern(NamedTuple):
    """What one surface form stands for: a term of an entry, with its status and inflection.

    A named tuple rather than a dataclass: a cached matcher holds hundreds of thousands of
    them, and tuples unpickle several times faster.
    """

    entry: int  # index into CompiledGlossaries.entries
    status: str
    case_sensitive: bool
    surface: str
    kind: str | None = None
    tag: str | None = None
    term: int = -1  # index of the term in its entry


@dataclass
class Hit:
    """A match of a key in a text: character span and the patterns of the key."""

    start: int
    end: int
    patterns: tuple[Pattern, ...]


class WordAutomaton:
    """Aho-Corasick over word codes: add surface forms, then find them in texts."""

    def __init__(self) -> None:
        self.vocab: dict[str, str] = {}
        self.groups: list[tuple[Pattern, ...]] = []
        self.key_lengths: list[int] = []
        self._keys: dict[str, list[Pattern]] = {}
        self._automaton: Any = None

    def _code(self, word: str) -> str:
        code = self.vocab.get(word)
        if code is None:
            # Several small digits rather than one character per word: pyahocorasick scans a
            # node's children linearly, and a root with 100,000 children made matching 20x
            # slower; 32 children per node keeps every step short.
            n = len(self.vocab)
            if n >= _DIGITS**_WIDTH:
                raise ValueError("more than a million distinct words in the glossaries")
            code = "".join(
                chr(0x100 + (n // _DIGITS**i) % _DIGITS) for i in range(_WIDTH - 1, -1, -1)
            )
            self.vocab[word] = code
        return code

    def keys_of(self, surface: str, add_words: bool = True) -> list[str]:
        """Automaton keys for a surface form (a comma between words is optional)."""
        parts = _SPLIT.split(surface.lower())
        words = parts[1::2]
        if not words:
            return []
        get = self._code if add_words else (lambda w: self.vocab.get(w, _UNKNOWN))
        pieces = [get(words[0])]
        for i in range(1, len(words)):
            pieces.append(_sep_code(parts[2 * i]))
            pieces.append(get(words[i]))
        key = "".join(pieces)
        keys = [key]
        if _COMMA in key:
            keys.append(key.replace(_COMMA, _GLUE))
        return keys

    def add(self, surface: str, pattern: Pattern) -> None:
        """Register a surface form."""
        for key in self.keys_of(surface):
            self._keys.setdefault(key, []).append(pattern)

    def has_key(self, key: str) -> bool:
        """True when ``key`` was added."""
        return key in self._keys

    def finish(self, resolve: Any = None) -> None:
        """Build the automaton; ``resolve`` may filter each key's patterns (precedence)."""
        import ahocorasick

        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for key, patterns in self._keys.items():
            chosen = tuple(resolve(patterns) if resolve else patterns)
            if not chosen:
                continue
            automaton.add_word(key, len(self.groups))
            self.groups.append(chosen)
            self.key_lengths.append(len(key))
        if len(automaton):
            automaton.make_automaton()
        self._automaton = automaton
        self._keys = {}

    def encode(self, text: str) -> Encoded:
        """The code string of a text."""
        parts = _SPLIT.split(_lower_same_length(text))
        codes: list[str] = [""] * len(parts)
        get = self.vocab.get
        codes[1::2] = [get(w, _UNKNOWN) for w in parts[1::2]]
        seps = _sep_cache
        codes[0::2] = [seps.get(s) or _sep_code(s) for s in parts[0::2]]
        starts = list(accumulate(map(len, parts), initial=0))
        return Encoded("".join(codes), starts)

    def find(self, text: str) -> list[Hit]:
        """Longest non-overlapping matches in ``text`` (offsets are offsets in ``text``)."""
        automaton = self._automaton
        if automaton is None or not len(automaton):
            return []
        # Encoding allocates a few million small strings, none in a cycle; without this, the
        # cyclic collector re-walks a big glossary's objects many times over (a third of the
        # checking time with 100,000 terms).
        collecting = gc.isenabled()
        gc.disable()
        try:
            encoded = self.encode(text)
            lengths = self.key_lengths
            raw = [(end - lengths[g] + 1, end, g) for end, g in automaton.iter(encoded.codes)]
        finally:
            if collecting:
                gc.enable()
        if not raw:
            return []
        hits: list[Hit] = []
        for first, last, g in longest_first(raw):
            start, end = encoded.span(first, last)
            hits.append(Hit(start, end, self.groups[g]))
        hits.sort(key=lambda h: h.start)
        return hits

    def __len__(self) -> int:
        return len(self.groups)


def longest_first(raw: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Keep the longest of overlapping (first, last, payload) spans; ties go to the leftmost."""
    if len(raw) == 1:
        return raw
    raw.sort(key=lambda r: (r[0] - r[1], r[0]))
    taken: list[tuple[int, int, int]] = []
    occupied: list[tuple[int, int]] = []
    for item in raw:
        first, last = item[0], item[1]
        if any(first <= b and a <= last for a, b in occupied):
            continue
        occupied.append((first, last))
        taken.append(item)
    return taken


# ---------------------------------------------------------------------------------------------
# Source-side matching (bilingual input), built on first use.


@dataclass
class SourceHit:
    """A glossary source term found in a unit's source text."""

    start: int
    end: int
    entries: tuple[int, ...]


class SourceMatcher:
    """Finds source terms: CJK terms as substrings, other languages by word forms."""

    def __init__(self, compiled: CompiledGlossaries) -> None:
        import ahocorasick

        from mtqa.glossary.forms import source_forms

        self._chars = ahocorasick.Automaton()
        self._words = WordAutomaton()
        char_keys: dict[str, list[int]] = {}
        for index, (g, entry) in enumerate(compiled.all_entries()):
            glossary = compiled.glossaries[g]
            for term in entry.in_lang(glossary.source_lang):
                text = term.stripped
                if not text:
                    continue
                # Every term is findable by substring in CJK text ("5G" in "加快5G网络建设").
                char_keys.setdefault(text.lower(), []).append(index)
                if not is_cjk(text):
                    for form in source_forms(text, term.lang):
                        self._words.add(form, Pattern(index, "source", False, form))
        for key, entries in char_keys.items():
            self._chars.add_word(key, (len(key), tuple(dict.fromkeys(entries))))
        if len(self._chars):
            self._chars.make_automaton()
        self._words.finish()

    def find(self, text: str) -> list[SourceHit]:
        """Longest non-overlapping source terms in ``text``."""
        if not is_cjk(text):
            return [
                SourceHit(h.start, h.end, tuple(dict.fromkeys(p.entry for p in h.patterns)))
                for h in self._words.find(text)
            ]
        raw: list[tuple[int, int, int]] = []
        payloads: list[tuple[int, ...]] = []
        if len(self._chars):
            low = _lower_same_length(text)
            for end, (length, entries) in self._chars.iter(low):
                start = end - length + 1
                if _latin_edge(low, start, end):
                    continue
                raw.append((start, end, len(payloads)))
                payloads.append(entries)
        if not raw:
            return []
        hits = [SourceHit(s, e + 1, payloads[p]) for s, e, p in longest_first(raw)]
        hits.sort(key=lambda h: h.start)
        return hits


def _latin_edge(text: str, start: int, end: int) -> bool:
    """True when a match cuts a Latin word or number ("5g" inside "25g")."""

    def latin(c: str) -> bool:
        return c.isascii() and c.isalnum()

    if latin(text[start]) and start > 0 and latin(text[start - 1]):
        return True
    return latin(text[end]) and end + 1 < len(text) and latin(text[end + 1])


# ---------------------------------------------------------------------------------------------
# Several glossaries compiled together.


@dataclass
class CompiledGlossaries:
    """Glossaries in order of precedence (lowest first) and their compiled target matcher.

    When pickled, entries are packed into plain tuples and unpacked one by one on first use:
    a check usually touches a handful of a 100,000-entry glossary's entries.
    """

    glossaries: list[Glossary]
    entries: list[tuple[int, Entry] | None]
    target: WordAutomaton
    precedence: str = "last"
    term_count: int = 0
    _packed: list[tuple[Any, ...]] | None = field(default=None, repr=False)
    _source: SourceMatcher | None = field(default=None, repr=False)
    _approved_keys: dict[int, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_packed"] = [
            _pack(item) if item is not None else self._packed[i]  # type: ignore[index]
            for i, item in enumerate(self.entries)
        ]
        state["entries"] = None
        state["glossaries"] = [dataclasses.replace(g, entries=[]) for g in self.glossaries]
        state["_source"] = None
        state["_approved_keys"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.entries = [None] * len(self._packed or [])

    def entry(self, index: int) -> tuple[Glossary, Entry]:
        """The glossary and entry of a pattern's entry index."""
        item = self.entries[index]
        if item is None:
            assert self._packed is not None
            item = _unpack(self._packed[index])
            self.entries[index] = item
        return self.glossaries[item[0]], item[1]

    def all_entries(self) -> list[tuple[int, Entry]]:
        """Every (glossary index, entry), unpacking them all."""
        out: list[tuple[int, Entry]] = []
        for index in range(len(self.entries)):
            _, entry = self.entry(index)
            item = self.entries[index]
            assert item is not None
            out.append((item[0], entry))
        return out

    def source_matcher(self) -> SourceMatcher:
        """The source-term matcher, built on first use."""
        if self._source is None:
            self._source = SourceMatcher(self)
        return self._source

    def approved_keys(self, index: int) -> tuple[str, ...]:
        """Space-joined lower-case word sequences of an entry's approved target forms."""
        keys = self._approved_keys.get(index)
        if keys is None:
            glossary, entry = self.entry(index)
            found: list[str] = []
            for term in entry.in_lang(glossary.target_lang):
                if term.effective_status in APPROVED_STATUSES and term.stripped:
                    for form in term_forms(term.stripped, term.pos, not term.is_case_sensitive):
                        found.append(" ".join(split_words(form.text)[0]))
            keys = tuple(dict.fromkeys(k for k in found if k))
            self._approved_keys[index] = keys
        return keys


_TERM_FIELDS = (
    "text", "lang", "status", "status_label", "pos", "term_type", "case_sensitive", "note",
    "definition", "extra", "line",
)  # fmt: skip
_ENTRY_FIELDS = ("id", "subject", "definition", "note", "dnt", "extra", "line")


def _pack(item: tuple[int, Entry]) -> tuple[Any, ...]:
    g, entry = item
    terms = tuple(tuple(getattr(t, f) for f in _TERM_FIELDS) for t in entry.terms)
    return (g, tuple(getattr(entry, f) for f in _ENTRY_FIELDS), terms)


def _unpack(packed: tuple[Any, ...]) -> tuple[int, Entry]:
    g, fields, terms = packed
    entry = Entry(**dict(zip(_ENTRY_FIELDS, fields, strict=True)))
    entry.terms = [Term(**dict(zip(_TERM_FIELDS, t, strict=True))) for t in terms]
    return g, entry


def _status_of(term: Term) -> str:
    return term.effective_status


def compile_glossaries(
    glossaries: Sequence[Glossary], precedence: str = "last"
) -> CompiledGlossaries:
    """Generate every term's surface forms and build the automaton.

    With ``precedence="last"`` a later glossary overrides an earlier one where both know a
    term; with ``"first"`` the earlier one wins.
    """
    automaton = WordAutomaton()
    entries: list[tuple[int, Entry]] = []
    approved: list[tuple[int, int, Term]] = []
    for g, glossary in enumerate(glossaries):
        for entry in glossary.entries:
            index = len(entries)
            entries.append((g, entry))
            target = primary(glossary.target_lang)
            for ti, term in enumerate(entry.terms):
                text = term.stripped
                if not text or primary(term.lang) != target:
                    continue
                status = _status_of(term)
                cs = term.is_case_sensitive
                if status in FLAGGED_STATUSES:
                    for form in term_forms(text, term.pos, inflect=not cs):
                        automaton.add(
                            form.text,
                            Pattern(index, status, cs, form.text, form.kind, form.tag, ti),
                        )
                elif cs:
                    automaton.add(text, Pattern(index, status, True, text, term=ti))
                else:
                    approved.append((index, ti, term))
    # Approved terms that contain a flagged term must be matched too, so that the longer,
    # approved term wins ("longest match wins").
    for index, ti, term in approved:
        text = term.stripped
        keys = automaton.keys_of(text, add_words=False)
        if keys and _contains_key(keys[0], automaton):
            for form in term_forms(text, term.pos):
                pattern = Pattern(
                    index, _status_of(term), False, form.text, form.kind, form.tag, ti
                )
                automaton.add(form.text, pattern)

    rank = {g: (g if precedence == "last" else -g) for g in range(len(glossaries))}

    def resolve(patterns: list[Pattern]) -> list[Pattern]:
        best = max(rank[entries[p.entry][0]] for p in patterns)
        return [p for p in patterns if rank[entries[p.entry][0]] == best]

    automaton.finish(resolve)
    term_count = sum(g.term_count() for g in glossaries)
    packed: list[tuple[int, Entry] | None] = list(entries)
    return CompiledGlossaries(list(glossaries), packed, automaton, precedence, term_count)


def _contains_key(key: str, automaton: WordAutomaton) -> bool:
    """True when some run of whole words of ``key`` is itself a key."""
    word_starts = range(0, len(key), _BLOCK)
    for i in word_starts:
        for j in word_starts:
            if j >= i and automaton.has_key(key[i : j + _WIDTH]):
                return True
    return False


def cache_key(datas: Iterable[bytes], precedence: str) -> str:
    """A hex digest of the glossaries' contents, their order and the matcher version."""
    import hashlib

    digest = hashlib.sha256(f"mtqa-glossary-{MATCHER_VERSION}-{precedence}".encode())
    for data in datas:
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def same_case(span: str, surface: str) -> bool:
    """True when ``span`` writes the words of ``surface`` with the same capitalisation.

    A capital first letter (sentence start) and ALL CAPS are accepted.
    """
    got = _SPLIT.findall(span)
    want = _SPLIT.findall(surface)
    if len(got) != len(want):
        return False
    if len(span) > 1 and span.isupper():
        return True
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        if g == w:
            continue
        if i == 0 and g == w[:1].upper() + w[1:]:
            continue
        return False
    return True


def source_lang_matches(glossary: Glossary, lang: str | None) -> bool:
    """True when a document's source language fits the glossary's (unknown fits anything)."""
    if not lang or not glossary.source_lang or glossary.source_lang == "und":
        return True
    return primary(lang) == primary(glossary.source_lang)


__all__ = [
    "CompiledGlossaries",
    "Form",
    "Hit",
    "Pattern",
    "SourceHit",
    "WordAutomaton",
    "cache_key",
    "compile_glossaries",
    "same_case",
]
