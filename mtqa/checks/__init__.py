"""The checker interface and the registry of checkers.

A checker turns documents into findings. The rule engine (YAML rule packs), the glossary
and LanguageTool are all checkers; the core runs the ones the configuration selects.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from mtqa.config import Config
from mtqa.document import Document
from mtqa.model import Finding
from mtqa.selection import Selection


@dataclass
class CheckContext:
    """What every checker may read (configuration) and write (notices, summary)."""

    config: Config
    selection: Selection
    notices: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    #: The caller will want the readability figures of the summary: a checker that can
    #: compute them on the way puts them in ``figures_found`` (per path).
    figures: bool = False
    figures_found: dict[str, Any] | None = None

    def notice(self, message: str) -> None:
        """Record a message for standard error (shown once per run)."""
        if message not in self.notices:
            self.notices.append(message)


class Checker(Protocol):
    """Produces findings for a batch of documents."""

    name: str

    def check(self, documents: Sequence[Document], ctx: CheckContext) -> list[Finding]:
        """Findings for all documents, each with its document's ``path`` and offsets."""
        ...


#: A factory returns the checker, or a string saying why it does not run.
Factory = Callable[[CheckContext], "Checker | str"]

#: name -> "module:factory". Order is the order in which checkers run.
CHECKERS: dict[str, str] = {
    "rules": "mtqa.checks.rules:build",
    "languagetool": "mtqa.checks.languagetool:build",
    "glossary": "mtqa.checks.glossary:build",
}

#: name -> code families (prefixes) the checker emits; used to skip unselected checkers.
FAMILIES: dict[str, tuple[str, ...]] = {
    "languagetool": ("LT",),
    "glossary": ("GL",),
}


def no_grammar(config: Config) -> str | None:
    """Why LanguageTool does not run under ``config`` before anything is asked, or None."""
    return "grammar = off" if config.grammar == "off" else None


def no_glossary(config: Config) -> str | None:
    """Why the glossary checker does not run under ``config``, or None."""
    return None if config.glossaries else "no glossary configured"


#: name -> a quick test of the configuration that says why the checker cannot run, asked
#: before its module (and what it imports: an HTTP client, a glossary matcher) is loaded.
GATES: dict[str, Callable[[Config], str | None]] = {
    "languagetool": no_grammar,
    "glossary": no_glossary,
}


def load_factory(name: str) -> Factory:
    """Import a checker's factory on first use."""
    module_name, func = CHECKERS[name].split(":")
    factory: Factory = getattr(importlib.import_module(module_name), func)
    return factory


def run_checkers(documents: Sequence[Document], ctx: CheckContext) -> list[Finding]:
    """Run every registered checker that is selected; record which ran and which were skipped."""
    findings: list[Finding] = []
    status: dict[str, dict[str, Any]] = ctx.summary.setdefault("checkers", {})
    for name in CHECKERS:
        families = FAMILIES.get(name)
        if families and not any(ctx.selection.any_enabled(f) for f in families):
            status[name] = {"status": "skipped", "reason": "not selected"}
            continue
        gate = GATES.get(name)
        reason = gate(ctx.config) if gate is not None else None
        built = reason if reason is not None else load_factory(name)(ctx)
        if isinstance(built, str):
            status[name] = {"status": "skipped", "reason": built}
            continue
        found = built.check(documents, ctx)
        entry = status.setdefault(name, {})
        entry.setdefault("status", "ran")
        entry["findings"] = len(found)
        findings.extend(found)
    return findings
