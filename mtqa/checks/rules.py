"""The rule-pack checker: every YAML rule, run by its engine over each document."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mtqa.checks import CheckContext
from mtqa.document import Document
from mtqa.model import Finding
from mtqa.rules.model import CompiledRule, ScanContext


@dataclass
class RulesChecker:
    """Runs the selected rules of the built-in and configured rule packs."""

    rules: list[CompiledRule]
    name: str = "rules"
    _automaton: Any = field(default=None, repr=False)

    def _prefilter(self) -> Any:
        """One Aho-Corasick automaton over the anchors of every anchored rule."""
        if self._automaton is None:
            import ahocorasick

            owners: dict[str, set[str]] = {}
            for rule in self.rules:
                for anchor in getattr(rule, "anchors", None) or ():
                    owners.setdefault(anchor, set()).add(rule.meta.code)
            automaton = ahocorasick.Automaton()
            for anchor, codes in owners.items():
                automaton.add_word(anchor, tuple(sorted(codes)))
            if owners:
                automaton.make_automaton()
            self._automaton = automaton if owners else False
        return self._automaton

    def candidates(self, document: Document) -> dict[str, list[tuple[int, int]]] | None:
        """Rule code -> the units of ``document`` that contain one of the rule's anchors."""
        automaton = self._prefilter()
        text = document.scan_text
        lowered = text.lower()
        if automaton is False or len(lowered) != len(text):
            return None  # lower() changed offsets (rare scripts): scan everything
        starts = [u.offset for u in document.units]
        found: dict[str, set[int]] = {}
        for end, codes in automaton.iter(lowered):
            unit = bisect_right(starts, end) - 1
            for code in codes:
                found.setdefault(code, set()).add(unit)
        units = document.units
        return {
            code: [(units[i].offset, units[i].offset + len(units[i].target)) for i in sorted(ids)]
            for code, ids in found.items()
            if ids
        }

    def check(self, documents: Sequence[Document], ctx: CheckContext) -> list[Finding]:
        """Findings of every selected rule in every document."""
        settings: dict[str, Any] = {"readability": ctx.config.readability}
        findings: list[Finding] = []
        for document in documents:
            scan = ScanContext(document, settings, self.candidates(document))
            path = document.path
            for rule in self.rules:
                findings.extend(replace(f, path=path) for f in rule.scan(scan))
        return findings


def build(ctx: CheckContext) -> RulesChecker | str:
    """Load the packs and keep the selected rules."""
    from mtqa.rules.loader import load_rules

    rules = [r for r in load_rules(ctx.config.rule_packs) if ctx.selection.enabled(r.meta.code)]
    if not rules:
        return "no rule selected"
    ctx.summary.setdefault("checkers", {})["rules"] = {"status": "ran", "rules": len(rules)}
    return RulesChecker(rules)
