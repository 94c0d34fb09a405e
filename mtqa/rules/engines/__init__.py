"""The typed engines that rules ``extend``; one module each, registered here."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from mtqa.errors import ConfigError
from mtqa.rules.model import CompiledRule, RuleMeta

#: engine name -> module with ``compile(meta, params, where) -> CompiledRule``.
ENGINES: dict[str, str] = {
    "existence": "mtqa.rules.engines.existence",
    "tokens": "mtqa.rules.engines.tokens",
    "repetition": "mtqa.rules.engines.repetition",
    "balance": "mtqa.rules.engines.balance",
    "readability": "mtqa.rules.engines.readability",
    "word-case": "mtqa.rules.engines.wordcase",
    "consistency": "mtqa.rules.engines.consistency",
}


def compile_rule(meta: RuleMeta, params: Mapping[str, Any], where: str) -> CompiledRule:
    """Compile one rule with the engine it extends."""
    module_name = ENGINES.get(meta.engine)
    if module_name is None:
        raise ConfigError(f"{where}: unknown engine '{meta.engine}' (one of {', '.join(ENGINES)})")
    module = importlib.import_module(module_name)
    rule: CompiledRule = module.compile(meta, params, where)
    return rule
