"""The glossary model: entries (concepts) holding terms in several languages.

Readers keep what they do not understand (unknown CSV columns, unknown TBX data categories)
in ``extra`` so that converting a glossary never silently drops information.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

#: The statuses mtqa knows, in order of authority.
STATUSES: tuple[str, ...] = ("preferred", "admitted", "deprecated", "superseded", "forbidden")

#: Statuses whose use in a translation is a finding.
FLAGGED_STATUSES = frozenset({"deprecated", "superseded", "forbidden"})

#: Statuses that make a target term an acceptable translation.
APPROVED_STATUSES = frozenset({"preferred", "admitted"})

# Spellings found in TBX files (administrativeStatus, normativeAuthorization) and CAT-tool
# exports, lower-cased, with the "-admn-sts" suffix and a trailing "term" removed.
_STATUS_ALIASES: dict[str, str] = {
    "preferred": "preferred",
    "standardized": "preferred",
    "regulated": "preferred",
    "legal": "preferred",
    "approved": "preferred",
    "recommended": "preferred",
    "admitted": "admitted",
    "permitted": "admitted",
    "acceptable": "admitted",
    "allowed": "admitted",
    "deprecated": "deprecated",
    "notrecommended": "deprecated",
    "not recommended": "deprecated",
    "obsolete": "superseded",
    "superseded": "superseded",
    "outdated": "superseded",
    "forbidden": "forbidden",
    "prohibited": "forbidden",
    "rejected": "forbidden",
    "donotuse": "forbidden",
    "do not use": "forbidden",
    "do-not-use": "forbidden",
}

_PROPER_NOUN = frozenset({"propernoun", "proper noun", "proper-noun", "propername", "name"})


def parse_status(raw: str) -> str | None:
    """The canonical status for a status spelling, or None when it is not one mtqa knows."""
    key = raw.strip().lower()
    if key.endswith("-admn-sts"):
        key = key[: -len("-admn-sts")]
    if key.endswith("term") and key != "term":
        key = key[: -len("term")]
    return _STATUS_ALIASES.get(key.strip(" -_"))


def is_canonical_label(raw: str, status: str) -> bool:
    """True when ``raw`` is just a standard spelling of ``status`` (no need to keep it)."""
    return raw.strip().lower() in {status, f"{status}term", f"{status}term-admn-sts"}


@dataclass
class Term:
    """One term of one language in an entry, with its data categories."""

    text: str
    lang: str
    status: str | None = None
    status_label: str | None = None  # the spelling in the file when it is not a canonical one
    pos: str | None = None
    term_type: str | None = None
    case_sensitive: bool | None = None
    note: str | None = None
    definition: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    line: int = 0

    @property
    def is_case_sensitive(self) -> bool:
        """Explicitly case-sensitive, or a proper noun."""
        if self.case_sensitive is not None:
            return self.case_sensitive
        return (self.term_type or "").strip().lower() in _PROPER_NOUN

    @property
    def effective_status(self) -> str:
        """The status, with a missing or unknown one read as "admitted"."""
        return self.status or "admitted"

    @property
    def stripped(self) -> str:
        """The term text with surrounding and doubled whitespace removed."""
        return " ".join(self.text.split())


@dataclass
class Entry:
    """One concept: its terms in every language plus concept-level data."""

    terms: list[Term] = field(default_factory=list)
    id: str | None = None
    subject: str | None = None
    definition: str | None = None
    note: str | None = None
    dnt: bool = False  # "do not translate": the source term must appear as is in the target
    extra: dict[str, str] = field(default_factory=dict)
    line: int = 0

    def in_lang(self, lang: str | None) -> list[Term]:
        """Terms whose language matches ``lang`` (by primary subtag; None matches nothing)."""
        if lang is None:
            return []
        want = primary(lang)
        return [t for t in self.terms if primary(t.lang) == want]

    def preferred(self, lang: str | None) -> Term | None:
        """The best approved term in ``lang``: preferred, else admitted/unmarked, else None."""
        terms = self.in_lang(lang)
        for wanted in ("preferred", "admitted"):
            for term in terms:
                if term.effective_status == wanted:
                    return term
        return None


@dataclass
class Problem:
    """Something a reader found wrong but could read past (reported by ``glossary lint``)."""

    line: int
    kind: str
    message: str


@dataclass
class Glossary:
    """A glossary file: its entries, its languages and what the reader noticed."""

    path: str
    entries: list[Entry] = field(default_factory=list)
    source_lang: str | None = None
    target_lang: str = "en"
    format: str = "csv"
    title: str | None = None
    source_desc: str | None = None
    tbx_version: int = 2
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The file name, for messages."""
        return Path(self.path).name

    def languages(self) -> list[str]:
        """Every language that has terms, in first-seen order."""
        return list(dict.fromkeys(t.lang for e in self.entries for t in e.terms))

    def term_count(self) -> int:
        """Number of terms in all languages."""
        return sum(len(e.terms) for e in self.entries)


def primary(lang: str) -> str:
    """The primary language subtag, lower case: "en-US" -> "en", "zh_Hans" -> "zh"."""
    return re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]


def pick_languages(langs: list[str], declared: str | None) -> tuple[str | None, str]:
    """Choose (source, target) languages: English is the target; the source is the declared
    language when it is not English, else the first other language."""
    target = next((lang for lang in langs if primary(lang) == "en"), "en")
    others = [lang for lang in langs if primary(lang) != "en"]
    if (
        declared
        and primary(declared) != "en"
        and any(primary(o) == primary(declared) for o in others)
    ):
        return next(o for o in others if primary(o) == primary(declared)), target
    return (others[0] if others else None), target
