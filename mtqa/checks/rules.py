"""The rule-pack checker: every YAML rule, run by its engine over each document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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

    def check(self, documents: Sequence[Document], ctx: CheckContext) -> list[Finding]:
        """Findings of every selected rule in every document."""
        settings: dict[str, Any] = {"readability": ctx.config.readability}
        findings: list[Finding] = []
        for document in documents:
            scan = ScanContext(document, settings)
            for rule in self.rules:
                findings.extend(rule.scan(scan))
        figures = ctx.summary.setdefault("readability", {})
        if any(r.meta.engine == "readability" for r in self.rules):
            from mtqa.rules.engines.readability import document_figures

            for document in documents:
                texts = [u.target for u in document.units]
                entry = document_figures(texts)
                entry["sentences"] = len(document.sentences)
                figures[document.path] = entry
        return findings


def build(ctx: CheckContext) -> RulesChecker | str:
    """Load the packs and keep the selected rules."""
    from mtqa.rules.loader import load_rules

    rules = [
        r for r in load_rules(ctx.config.rule_packs) if ctx.selection.enabled(r.meta.code)
    ]
    if not rules:
        return "no rule selected"
    ctx.summary.setdefault("checkers", {})["rules"] = {"status": "ran", "rules": len(rules)}
    return RulesChecker(rules)
