"""Reporters turn a check result into text; one module per format, registered here."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from mtqa.core import CheckResult


@dataclass(frozen=True)
class ReportOptions:
    """How to render: colours, and whether to print the summary line."""

    color: bool = False
    quiet: bool = False


Renderer = Callable[[CheckResult, ReportOptions], str]

#: format name -> "module:function"
REPORTERS: dict[str, str] = {
    "text": "mtqa.reporters.text:render",
    "json": "mtqa.reporters.json:render",
}


def get_reporter(name: str) -> Renderer:
    """The render function of a format."""
    module_name, func = REPORTERS[name].split(":")
    renderer: Renderer = getattr(importlib.import_module(module_name), func)
    return renderer
