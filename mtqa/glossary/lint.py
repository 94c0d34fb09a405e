"""``glossary lint``: problems that make a glossary unreliable, each with its line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mtqa.glossary.forms import term_forms
from mtqa.glossary.matcher import split_words
from mtqa.glossary.model import APPROVED_STATUSES, FLAGGED_STATUSES, Entry, Glossary, Term, primary


@dataclass(frozen=True)
class LintIssue:
    """One problem in one glossary file."""

    path: str
    line: int
    kind: str
    message: str

    def render(self) -> str:
        """``path:line: kind: message``."""
        return f"{self.path}:{self.line}: {self.kind}: {self.message}"


def word_key(text: str) -> str:
    """Lower-case words joined by single spaces: hyphens, punctuation and case do not count."""
    if not text.strip():
        return ""
    words = split_words(text)[0]
    return " ".join(words) if words else text.strip().lower()


def lint(glossary: Glossary) -> list[LintIssue]:
    """Every problem found in one glossary, sorted by line."""
    path = glossary.path
    issues = [LintIssue(path, p.line, p.kind, p.message) for p in glossary.problems]
    issues.extend(_term_issues(glossary))
    issues.extend(_duplicates(glossary))
    issues.extend(_conflicts(glossary))
    issues.extend(_casing(glossary))
    unique = {(i.line, i.kind, i.message): i for i in issues}
    return sorted(unique.values(), key=lambda i: (i.line, i.kind, i.message))


def _target_terms(glossary: Glossary, entry: Entry) -> list[Term]:
    return entry.in_lang(glossary.target_lang)


def _source_terms(glossary: Glossary, entry: Entry) -> list[Term]:
    if glossary.source_lang is None:
        return []
    return [t for t in entry.terms if primary(t.lang) == primary(glossary.source_lang)]


def _term_issues(glossary: Glossary) -> Iterable[LintIssue]:
    path = glossary.path
    for entry in glossary.entries:
        for term in entry.terms:
            if not term.text.strip():
                yield LintIssue(path, term.line, "empty-term", "term is empty")
                continue
            if (
                term.text != term.text.strip()
                or "  " in term.text
                or any(c in term.text for c in "\t\n\r")
            ):
                yield LintIssue(
                    path, term.line, "stray-whitespace", f"term {term.text!r} has stray whitespace"
                )
        targets = _target_terms(glossary, entry)
        if (
            not entry.dnt
            and glossary.source_lang
            and _source_terms(glossary, entry)
            and not targets
        ):
            yield LintIssue(path, entry.line, "missing-target", "entry has no target-language term")
        preferred = [t for t in targets if t.status == "preferred"]
        approved = [t for t in targets if t.effective_status in APPROVED_STATUSES]
        if len({word_key(t.text) for t in preferred}) > 1:
            names = ", ".join(f'"{t.stripped}" (line {t.line})' for t in preferred)
            yield LintIssue(
                path,
                preferred[1].line,
                "conflicting-preferred",
                f"one entry has several preferred terms: {names}",
            )
        for bad in (t for t in targets if t.effective_status in FLAGGED_STATUSES):
            for good in approved:
                if word_key(bad.text) == word_key(good.text):
                    yield LintIssue(
                        path,
                        bad.line,
                        "forbids-itself",
                        f'"{bad.stripped}" is {bad.effective_status} and also the entry\'s '
                        f"{good.effective_status} term (line {good.line})",
                    )


def _duplicates(glossary: Glossary) -> Iterable[LintIssue]:
    path = glossary.path
    exact: dict[tuple[str, str], Term] = {}
    near: dict[tuple[str, str], Term] = {}
    for entry in glossary.entries:
        sources = _source_terms(glossary, entry)
        source_key = sources[0].stripped if sources else ""
        near_source = word_key(source_key) if source_key else ""
        for term in _target_terms(glossary, entry):
            if not term.text.strip():
                continue
            key = (source_key, term.stripped)
            first = exact.get(key)
            if first is not None and first is not term:
                if first.effective_status == term.effective_status:
                    yield LintIssue(
                        path,
                        term.line,
                        "duplicate",
                        f'"{term.stripped}" is already listed at line {first.line}',
                    )
                continue
            exact[key] = term
            forms = term_forms(term.stripped, term.pos, inflect=not term.is_case_sensitive)
            keys = [(near_source, word_key(f.text)) for f in forms]
            for nkey in keys:
                other = near.get(nkey)
                if other is None or other is term or other.stripped == term.stripped:
                    continue
                same_kind = other.effective_status == term.effective_status or (
                    other.effective_status in APPROVED_STATUSES
                    and term.effective_status in APPROVED_STATUSES
                )
                if same_kind:
                    yield LintIssue(
                        path,
                        term.line,
                        "near-duplicate",
                        f'"{term.stripped}" is a variant of "{other.stripped}" (line {other.line})',
                    )
                    break
            for nkey in keys:
                near.setdefault(nkey, term)


def _conflicts(glossary: Glossary) -> Iterable[LintIssue]:
    path = glossary.path
    preferred_by_source: dict[str, Term] = {}
    status_by_key: dict[str, tuple[Term, Entry]] = {}
    for entry in glossary.entries:
        sources = _source_terms(glossary, entry)
        targets = _target_terms(glossary, entry)
        preferred = next((t for t in targets if t.status == "preferred"), None)
        for source in sources:
            key = word_key(source.text) if not source.text.isascii() else source.stripped.lower()
            if not key or preferred is None:
                continue
            first = preferred_by_source.get(key)
            if first is None:
                preferred_by_source[key] = preferred
            elif word_key(first.text) != word_key(preferred.text):
                yield LintIssue(
                    path,
                    preferred.line,
                    "conflicting-preferred",
                    f'source "{source.stripped}" has preferred "{preferred.stripped}" here '
                    f'and "{first.stripped}" at line {first.line}',
                )
        for term in targets:
            key = word_key(term.text)
            if not key:
                continue
            seen = status_by_key.get(key)
            if seen is None:
                status_by_key[key] = (term, entry)
                continue
            other, other_entry = seen
            if other_entry is entry:
                continue  # reported as forbids-itself
            flagged = {
                term.effective_status in FLAGGED_STATUSES,
                other.effective_status in FLAGGED_STATUSES,
            }
            if flagged == {True, False} and not (term.is_case_sensitive or other.is_case_sensitive):
                good, bad = (
                    (other, term) if term.effective_status in FLAGGED_STATUSES else (term, other)
                )
                yield LintIssue(
                    path,
                    term.line,
                    "preferred-and-deprecated",
                    f'"{bad.stripped}" is {bad.effective_status} (line {bad.line}) but '
                    f'"{good.stripped}" is {good.effective_status} (line {good.line})',
                )


def _casing(glossary: Glossary) -> Iterable[LintIssue]:
    path = glossary.path
    seen: dict[str, Term] = {}
    for entry in glossary.entries:
        for term in _target_terms(glossary, entry):
            if term.effective_status in FLAGGED_STATUSES or not term.text.strip():
                continue
            key = " ".join(term.stripped.lower().split())
            other = seen.get(key)
            if other is None:
                seen[key] = term
            elif other.stripped != term.stripped:
                yield LintIssue(
                    path,
                    term.line,
                    "inconsistent-case",
                    f'"{term.stripped}" is written "{other.stripped}" at line {other.line}',
                )
            elif other.is_case_sensitive != term.is_case_sensitive:
                yield LintIssue(
                    path,
                    term.line,
                    "inconsistent-case",
                    f'"{term.stripped}" is case-sensitive in one place (line {other.line}) '
                    "and not in the other",
                )
