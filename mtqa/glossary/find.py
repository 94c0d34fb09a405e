"""Looking terms up ("what is our term for X?") and glossary statistics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mtqa.glossary.forms import term_forms
from mtqa.glossary.lint import word_key
from mtqa.glossary.model import Entry, Glossary, primary


@dataclass
class FindResult:
    """An entry that matches a query, how (exact or fuzzy) and how well."""

    glossary: Glossary
    entry: Entry
    matched: str
    how: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description."""
        return {
            "file": self.glossary.path,
            "line": self.entry.line,
            "id": self.entry.id,
            "match": self.matched,
            "how": self.how,
            "score": round(self.score, 1),
            "terms": [
                {"text": t.stripped, "lang": t.lang, "status": t.effective_status, "line": t.line}
                for t in self.entry.terms
            ],
        }

    def render(self) -> str:
        """Human-readable lines: source -> preferred, then the other terms."""
        g, e = self.glossary, self.entry
        sources = [t.stripped for t in e.in_lang(g.source_lang)] if g.source_lang else []
        best = e.preferred(g.target_lang)
        head = (
            f"{g.path}:{e.line}: {' / '.join(sources) or '-'} -> {best.stripped if best else '-'}"
        )
        how = "exact" if self.how == "exact" else f"fuzzy {self.score:.0f}"
        lines = [f"{head}  [{how}: {self.matched}]"]
        for term in e.in_lang(g.target_lang):
            if term is not best:
                lines.append(f"    {term.effective_status}: {term.stripped}")
        if e.subject:
            lines.append(f"    subject: {e.subject}")
        return "\n".join(lines)


def _keys(text: str) -> str:
    return word_key(text) if text.isascii() else " ".join(text.lower().split())


def find(
    glossaries: Sequence[Glossary], query: str, limit: int = 10, min_score: float = 75.0
) -> list[FindResult]:
    """Entries with a term equal to ``query`` in any inflected form, then fuzzy matches."""
    from rapidfuzz import fuzz, process

    wanted = {_keys(f.text) for f in term_forms(query.strip())} | {_keys(query)}
    exact: list[FindResult] = []
    choices: list[str] = []
    owners: list[tuple[Glossary, Entry, str]] = []
    for glossary in glossaries:
        for entry in glossary.entries:
            hit = None
            for term in entry.terms:
                key = _keys(term.stripped)
                if not key:
                    continue
                if key in wanted or any(
                    _keys(f.text) in wanted for f in term_forms(term.stripped, term.pos)
                ):
                    hit = term.stripped
                choices.append(key)
                owners.append((glossary, entry, term.stripped))
            if hit is not None:
                exact.append(FindResult(glossary, entry, hit, "exact", 100.0))
    seen = {id(r.entry) for r in exact}
    fuzzy: list[FindResult] = []
    for _choice, score, index in process.extract(
        _keys(query), choices, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=min_score
    ):
        glossary, entry, text = owners[index]
        if id(entry) in seen:
            continue
        seen.add(id(entry))
        fuzzy.append(FindResult(glossary, entry, text, "fuzzy", float(score)))
        if len(fuzzy) >= limit:
            break
    return exact + fuzzy


def stats(glossary: Glossary) -> dict[str, Any]:
    """Counts that describe a glossary."""
    target = primary(glossary.target_lang)
    targets = [t for e in glossary.entries for t in e.terms if primary(t.lang) == target]
    return {
        "path": glossary.path,
        "format": glossary.format if glossary.format != "tbx" else f"tbx v{glossary.tbx_version}",
        "source_lang": glossary.source_lang,
        "target_lang": glossary.target_lang,
        "entries": len(glossary.entries),
        "terms": glossary.term_count(),
        "languages": dict(Counter(t.lang for e in glossary.entries for t in e.terms)),
        "statuses": dict(
            Counter(t.status or t.status_label or "unmarked" for t in targets).most_common()
        ),
        "pos": dict(Counter((t.pos or "unmarked") for t in targets).most_common()),
        "case_sensitive": sum(1 for t in targets if t.is_case_sensitive),
        "dnt": sum(1 for e in glossary.entries if e.dnt),
        "subjects": dict(Counter(e.subject for e in glossary.entries if e.subject).most_common(8)),
        "problems": len(glossary.problems),
    }
