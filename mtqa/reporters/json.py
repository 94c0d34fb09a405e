"""The versioned JSON wire format (see docs/json-format.md)."""

from __future__ import annotations

import json
from typing import Any

from mtqa.core import CheckResult
from mtqa.model import Finding
from mtqa.reporters import ReportOptions

FORMAT_VERSION = 1


def finding_to_dict(f: Finding) -> dict[str, Any]:
    """The JSON object of one finding."""
    out: dict[str, Any] = {
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "offset": f.offset,
        "length": f.length,
        "rule": f.rule,
        "name": f.name,
        "category": f.category,
        "severity": f.severity.value,
        "message": f.message,
        "text": f.text,
        "suggestions": list(f.suggestions),
        "fix": None,
        "checker": f.checker,
    }
    if f.segment is not None:
        out["segment"] = f.segment
    if f.fix is not None:
        out["fix"] = {
            "applicability": f.fix.applicability.value,
            "edits": [
                {"offset": e.offset, "length": e.length, "replacement": e.replacement}
                for e in f.fix.edits
            ],
        }
    return out


def render(result: CheckResult, options: ReportOptions) -> str:
    """``{"version": 1, "findings": [...], "summary": {...}}``."""
    document = {
        "version": FORMAT_VERSION,
        "findings": [finding_to_dict(f) for f in result.findings],
        "summary": result.full_summary(),
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
