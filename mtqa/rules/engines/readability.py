"""Readability: long sentences, and paragraphs that are hard to read (Flesch reading ease).

Parameters:
  measure: ``sentence-length`` or ``reading-ease``.
Thresholds come from configuration (``[tool.mtqa.readability]``) so teams can tune them
without editing the pack. Scores are computed by textstat.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mtqa.config import ReadabilityConfig
from mtqa.errors import ConfigError
from mtqa.model import Finding
from mtqa.rules.model import RuleMeta, ScanContext, make_finding, require
from mtqa.text import count_words

KEYS = {"measure"}
MIN_PARAGRAPH_SENTENCES = 3


def textstat_module() -> Any:
    """textstat, imported on first use (it loads dictionaries)."""
    import textstat

    return textstat


@dataclass
class ReadabilityRule:
    """Flags sentences over a word limit, or paragraphs under a reading-ease score."""

    meta: RuleMeta
    measure: str

    def scan(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings for every sentence or paragraph past the configured threshold."""
        config: ReadabilityConfig = ctx.settings.get("readability", ReadabilityConfig())
        document = ctx.document
        if self.measure == "sentence-length":
            limit = config.max_sentence_words
            for index, unit in enumerate(document.units):
                # A cheap upper bound first: a unit with fewer spaces holds no long sentence.
                if unit.target.count(" ") < limit:
                    continue
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
        for index, unit in enumerate(document.units):
            if unit.target.count(" ") + 1 < config.min_paragraph_words:
                continue
            # One or two sentences are the sentence-length rule's business, not a paragraph's.
            if len(document.unit_sentences(index)) < MIN_PARAGRAPH_SENTENCES:
                continue
            if count_words(unit.target) < config.min_paragraph_words:
                continue
            score = float(textstat_module().flesch_reading_ease(unit.target))
            if score < config.min_reading_ease:
                message = self.meta.message.replace("{score}", f"{score:.0f}").replace(
                    "{limit}", f"{config.min_reading_ease:.0f}"
                )
                end = unit.offset + len(unit.target)
                yield make_finding(self.meta, unit.offset, end, unit.target, (), message)


def compile(meta: RuleMeta, params: Mapping[str, Any], where: str) -> ReadabilityRule:
    """Build a readability rule."""
    require(params, KEYS, where)
    measure = params.get("measure")
    if measure not in ("sentence-length", "reading-ease"):
        raise ConfigError(f"{where}: 'measure' must be sentence-length or reading-ease")
    return ReadabilityRule(meta, str(measure))


def document_figures(texts: list[str], sentences: int) -> dict[str, float | int]:
    """Readability figures of a whole document for the JSON summary."""
    text = "\n".join(texts)
    ts = textstat_module()
    words = count_words(text)
    return {
        "words": words,
        "sentences": sentences,
        "words_per_sentence": round(words / sentences, 2) if sentences else 0.0,
        "flesch_reading_ease": round(float(ts.flesch_reading_ease(text)), 2),
        "flesch_kincaid_grade": round(float(ts.flesch_kincaid_grade(text)), 2),
    }
