"""The glossary checker: deprecated terms, untranslated source terms, do-not-translate terms,
and the case of proper nouns (codes ``GL001``-``GL004``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mtqa.checks import CheckContext, no_glossary
from mtqa.document import Document, Unit
from mtqa.glossary.forms import reinflect
from mtqa.glossary.matcher import (
    CompiledGlossaries,
    Hit,
    Pattern,
    is_cjk,
    same_case,
    source_lang_matches,
    split_words,
)
from mtqa.glossary.model import APPROVED_STATUSES, FLAGGED_STATUSES
from mtqa.glossary.rules import GL001, GL002, GL003, GL004
from mtqa.inflect import match_case
from mtqa.model import Applicability, Finding, Severity, make_fix
from mtqa.rules.model import RuleMeta, UnitSpans

_PROTECT = ("code", "mention", "url")


@dataclass
class GlossaryChecker:
    """Checks documents against compiled glossaries."""

    compiled: CompiledGlossaries
    name: str = "glossary"

    def check(self, documents: Sequence[Document], ctx: CheckContext) -> list[Finding]:
        """Findings of every glossary rule in every document."""
        findings: list[Finding] = []
        for document in documents:
            found = check_document(self.compiled, document, ctx.config.source_language)
            findings.extend(f.evolve(path=document.path) for f in found)
        return findings


def check_document(
    compiled: CompiledGlossaries, document: Document, source_language: str | None = None
) -> list[Finding]:
    """Glossary findings for one document."""
    findings: list[Finding] = []
    text = document.scan_text
    hits = compiled.target.find(text)
    flagged_entries: dict[int, set[int]] = {}  # unit index -> entries flagged by GL001
    if hits:
        protected = UnitSpans(document, _PROTECT)
        for hit in hits:
            if "\x00" in text[hit.start : hit.end] or protected.overlaps(hit.start, hit.end):
                continue
            finding, entry = _target_finding(compiled, text, hit)
            if finding is None:
                continue
            unit_index = document.unit_at(hit.start)
            if document.bilingual and unit_index is not None:
                finding = _with_segment(finding, document.units[unit_index])
                if entry is not None:
                    flagged_entries.setdefault(unit_index, set()).add(entry)
            findings.append(finding)
    if document.bilingual:
        lang = source_language or document.source_language
        for index, unit in enumerate(document.units):
            if unit.source and unit.source.strip():
                findings.extend(
                    _source_findings(
                        compiled, document, unit, flagged_entries.get(index, set()), lang
                    )
                )
    findings.sort(key=lambda f: (f.offset, f.rule))
    return findings


def _with_segment(finding: Finding, unit: Unit) -> Finding:

    return finding.evolve(segment=unit.id)


def _target_finding(
    compiled: CompiledGlossaries, text: str, hit: Hit
) -> tuple[Finding | None, int | None]:
    span = text[hit.start : hit.end]
    patterns = hit.patterns
    if any(p.status not in FLAGGED_STATUSES and not p.case_sensitive for p in patterns):
        return None, None  # a common approved term: fine in any case
    approved_cs = [p for p in patterns if p.status not in FLAGGED_STATUSES]
    if any(same_case(span, p.surface) for p in approved_cs):
        return None, None
    flagged = [
        p
        for p in patterns
        if p.status in FLAGGED_STATUSES and (not p.case_sensitive or same_case(span, p.surface))
    ]
    if flagged:
        return _deprecated(compiled, text, hit, span, flagged[0]), flagged[0].entry
    if approved_cs:
        expected = approved_cs[0].surface
        return _finding(GL004, hit.start, hit.end, span, [expected], Applicability.SAFE), None
    return None, None


def _deprecated(
    compiled: CompiledGlossaries, text: str, hit: Hit, span: str, pattern: Pattern
) -> Finding:
    glossary, entry = compiled.entry(pattern.entry)
    preferred = entry.preferred(glossary.target_lang)
    suggestions: list[str] = []
    if preferred is not None and preferred.stripped:
        suggestion = reinflect(preferred.stripped, pattern.kind, pattern.tag, preferred.pos)
        if not preferred.is_case_sensitive or span.isupper():
            suggestion = match_case(span, suggestion)
        suggestions.append(suggestion)
    status = pattern.status
    where = f" ({glossary.name})"
    if suggestions:
        message = f'"{span}" is a {status} term{where}; use "{suggestions[0]}"'
    else:
        message = f'"{span}" is a {status} term{where}'
    if 0 <= pattern.term < len(entry.terms) and entry.terms[pattern.term].note:
        message += f" ({entry.terms[pattern.term].note})"
    before = text[max(0, hit.start - 4) : hit.start].lower().split()
    risky = pattern.kind is not None or (bool(before) and before[-1] in ("a", "an"))
    applicability = Applicability.UNSAFE if risky else Applicability.SAFE
    severity = Severity.ERROR if status == "forbidden" else None
    return _finding(GL001, hit.start, hit.end, span, suggestions, applicability, message, severity)


def _finding(
    meta: RuleMeta,
    start: int,
    end: int,
    text: str,
    suggestions: Sequence[str],
    applicability: Applicability | None = None,
    message: str | None = None,
    severity: Severity | None = None,
    keep_same: bool = False,
) -> Finding:
    suggestions = [s for s in dict.fromkeys(suggestions) if keep_same or s != text]
    if message is None:
        message = meta.message.replace("{text}", text).replace(
            "{suggestion}", suggestions[0] if suggestions else ""
        )
    fix = None
    if applicability is not None and suggestions:
        fix = make_fix(start, end - start, suggestions[0], applicability, f'use "{suggestions[0]}"')
    return Finding(
        rule=meta.code,
        name=meta.name,
        category=meta.category,
        severity=severity or meta.severity,
        offset=start,
        length=end - start,
        message=message,
        text=text,
        suggestions=tuple(suggestions),
        fix=fix,
        checker="glossary",
    )


def _source_findings(
    compiled: CompiledGlossaries,
    document: Document,
    unit: Unit,
    flagged: set[int],
    lang: str | None,
) -> list[Finding]:
    source = unit.source or ""
    hits = compiled.source_matcher().find(source)
    if not hits:
        return []
    target_words = " " + " ".join(split_words(unit.target)[0]) + " "
    in_file = (
        unit.source_offset is not None
        and document.text[unit.source_offset : unit.source_offset + len(source)] == source
    )
    out: list[Finding] = []
    for hit in hits:
        term_text = source[hit.start : hit.end]
        if in_file and unit.source_offset is not None:
            start, end = unit.source_offset + hit.start, unit.source_offset + hit.end
        else:
            start, end = unit.offset, unit.offset + len(unit.target)
        for index in hit.entries:
            glossary, entry = compiled.entry(index)
            if not source_lang_matches(glossary, lang):
                continue
            if entry.dnt:
                if not _contains(unit.target, target_words, term_text):
                    finding = _finding(GL003, start, end, term_text, [term_text], keep_same=True)
                    out.append(_with_segment(finding, unit))
                break
            keys = compiled.approved_keys(index)
            if not keys:
                continue
            if index in flagged or any(f" {k} " in target_words for k in keys):
                break
            preferred = entry.preferred(glossary.target_lang)
            suggestion = preferred.stripped if preferred else ""
            message = (
                f'the source term "{term_text}" is not translated with its glossary term '
                f'"{suggestion}" ({glossary.name})'
            )
            finding = _finding(GL002, start, end, term_text, [suggestion], None, message)
            out.append(_with_segment(finding, unit))
            break
    return out


def _contains(target: str, target_words: str, term: str) -> bool:
    if is_cjk(term):
        return term.lower() in target.lower()
    words = split_words(term)[0]
    return bool(words) and f" {' '.join(words)} " in target_words


def build(ctx: CheckContext) -> GlossaryChecker | str:
    """Load (or take from the cache) the configured glossaries."""
    config = ctx.config
    reason = no_glossary(config)
    if reason is not None:
        return reason
    from mtqa.glossary.loader import load_compiled

    precedence = getattr(getattr(config, "glossary", None), "precedence", "last")
    compiled, info = load_compiled(
        list(config.glossaries), precedence, config.cache_dir, use_cache=not config.no_cache
    )
    status: dict[str, Any] = {"status": "ran", **info}
    ctx.summary.setdefault("checkers", {})["glossary"] = status
    return GlossaryChecker(compiled)


__all__ = ["APPROVED_STATUSES", "GlossaryChecker", "build", "check_document"]
