"""``glossary merge``: several glossaries into one, with a report of the conflicts."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from mtqa.errors import UsageError
from mtqa.glossary.lint import word_key
from mtqa.glossary.model import APPROVED_STATUSES, Entry, Glossary, Term, primary


@dataclass
class Conflict:
    """Two glossaries disagree about one concept."""

    key: str
    message: str
    resolution: str | None = None  # None: unresolved

    def render(self) -> str:
        """One line for the report."""
        tail = f" -> {self.resolution}" if self.resolution else " (unresolved)"
        return f"conflict: {self.key}: {self.message}{tail}"


def _entry_key(glossary: Glossary, entry: Entry) -> str:
    sources = entry.in_lang(glossary.source_lang) if glossary.source_lang else []
    if sources and sources[0].stripped:
        text = sources[0].stripped
        return "s:" + (word_key(text) if text.isascii() else text.lower())
    best = entry.preferred(glossary.target_lang)
    return "t:" + word_key(best.text) if best is not None else f"e:{id(entry)}"


def merge(
    glossaries: Sequence[Glossary], prefer: Glossary | None = None
) -> tuple[Glossary, list[Conflict]]:
    """Merge entries that share a source term (else a preferred target term); later files add
    terms to earlier entries. Conflicts are settled in favour of ``prefer`` when given."""
    if not glossaries:
        raise UsageError("nothing to merge")
    first = glossaries[0]
    sources = {
        primary(g.source_lang) for g in glossaries if g.source_lang and g.source_lang != "und"
    }
    if len(sources) > 1:
        raise UsageError(
            f"cannot merge glossaries with different source languages: {', '.join(sorted(sources))}"
        )
    out = Glossary(
        path="",
        source_lang=next(
            (g.source_lang for g in glossaries if g.source_lang not in (None, "und")), "und"
        ),
        target_lang=first.target_lang,
        format=first.format,
        tbx_version=first.tbx_version,
        title=first.title,
        source_desc="Merged by mtqa from: " + ", ".join(g.name for g in glossaries),
    )
    origin: dict[int, str] = {}  # id(term) -> "file:line"
    owner: dict[int, Glossary] = {}
    by_key: dict[str, Entry] = {}
    ids: set[str] = set()
    conflicts: list[Conflict] = []
    for glossary in glossaries:
        for entry in glossary.entries:
            key = _entry_key(glossary, entry)
            fresh = copy.deepcopy(entry)
            for old, new in zip(entry.terms, fresh.terms, strict=True):
                origin[id(new)] = f"{glossary.name}:{old.line}"
                owner[id(new)] = glossary
                new.lang = _lang(new.lang, glossary, out)
            target = by_key.get(key)
            if target is None:
                if fresh.id:
                    base, n = fresh.id, 2
                    while fresh.id in ids:
                        fresh.id, n = f"{base}-{n}", n + 1
                    ids.add(fresh.id)
                by_key[key] = fresh
                out.entries.append(fresh)
                continue
            _merge_entry(target, fresh, out, key, prefer, origin, owner, conflicts)
    return out, conflicts


def _lang(lang: str, glossary: Glossary, out: Glossary) -> str:
    if glossary.source_lang == "und" and lang == "und" and out.source_lang:
        return out.source_lang
    return lang


def _merge_entry(
    target: Entry,
    fresh: Entry,
    out: Glossary,
    key: str,
    prefer: Glossary | None,
    origin: dict[int, str],
    owner: dict[int, Glossary],
    conflicts: list[Conflict],
) -> None:
    for attr in ("subject", "definition", "note"):
        if not getattr(target, attr) and getattr(fresh, attr):
            setattr(target, attr, getattr(fresh, attr))
    target.dnt = target.dnt or fresh.dnt
    label = key.split(":", 1)[1]
    for term in fresh.terms:
        same = next(
            (
                t
                for t in target.terms
                if primary(t.lang) == primary(term.lang) and word_key(t.text) == word_key(term.text)
            ),
            None,
        )
        if same is not None:
            if same.effective_status != term.effective_status:
                message = (
                    f'"{term.stripped}" is {same.effective_status} in {origin[id(same)]} '
                    f"but {term.effective_status} in {origin[id(term)]}"
                )
                resolution = None
                if prefer is not None and owner[id(term)] is prefer:
                    same.status, same.status_label = term.status, term.status_label
                    resolution = f"{term.effective_status} (--prefer {prefer.name})"
                elif prefer is not None and owner[id(same)] is prefer:
                    resolution = f"{same.effective_status} (--prefer {prefer.name})"
                conflicts.append(Conflict(label, message, resolution))
            continue
        if term.status == "preferred" and primary(term.lang) == primary(out.target_lang):
            current = next(
                (
                    t
                    for t in target.terms
                    if t.status == "preferred" and primary(t.lang) == primary(term.lang)
                ),
                None,
            )
            if current is not None:
                message = (
                    f'preferred "{current.stripped}" in {origin[id(current)]} '
                    f'but "{term.stripped}" in {origin[id(term)]}'
                )
                resolution = None
                if prefer is not None and owner[id(term)] is prefer:
                    _demote(current)
                    resolution = (
                        f'"{term.stripped}" (--prefer {prefer.name}); "{current.stripped}" admitted'
                    )
                elif prefer is not None and owner[id(current)] is prefer:
                    _demote(term)
                    resolution = (
                        f'"{current.stripped}" (--prefer {prefer.name}); "{term.stripped}" admitted'
                    )
                else:
                    _demote(term)
                conflicts.append(Conflict(label, message, resolution))
        target.terms.append(term)


def _demote(term: Term) -> None:
    if term.effective_status in APPROVED_STATUSES:
        term.status, term.status_label = "admitted", None
