"""Compiler-style text: ``path:line:col: CODE category: message → suggestion``."""

from __future__ import annotations

from mtqa.core import CheckResult
from mtqa.model import Severity
from mtqa.reporters import ReportOptions

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, on: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if on else text


def render(result: CheckResult, options: ReportOptions) -> str:
    """One line per finding and a summary line."""
    lines: list[str] = []
    color = options.color
    for f in result.findings:
        where = _paint(f"{f.path}:{f.line}:{f.column}:", "1", color)
        code = _paint(f.rule, "1;" + _COLORS[f.severity], color)
        line = f"{where} {code} {f.category}: {f.message}"
        if f.suggestions:
            line += " → " + _paint(" | ".join(f.suggestions[:3]), "32", color)
        lines.append(line)
    if not options.quiet:
        counts = {s: 0 for s in Severity}
        for f in result.findings:
            counts[f.severity] += 1
        files = result.summary.get("files", 0)
        total = len(result.findings)
        noun = "problem" if total == 1 else "problems"
        detail = ", ".join(f"{counts[s]} {s.value}" for s in Severity if counts[s])
        summary = f"Found {total} {noun}" + (f" ({detail})" if detail else "")
        summary += f" in {files} file{'s' if files != 1 else ''}."
        if total == 0:
            summary = f"No problems found in {files} file{'s' if files != 1 else ''}."
        fixable = sum(1 for f in result.findings if f.fix is not None and f.fix.edits)
        if fixable:
            summary += f" {fixable} with a suggested fix."
        lines.append(summary)
    return "\n".join(lines) + ("\n" if lines else "")


def render_statistics(result: CheckResult) -> str:
    """One line per rule: count, code, name, category, most frequent first (as ruff does)."""
    counts: dict[str, int] = {}
    names: dict[str, tuple[str, str]] = {}
    for f in result.findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
        names[f.rule] = (f.name, f.category)
    ordered = sorted(counts, key=lambda code: (-counts[code], code))
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = [
        f"{counts[code]:>{width}}  {code:<8} {names[code][0]} ({names[code][1]})"
        for code in ordered
    ]
    lines.append(
        f"Found {len(result.findings)} problems in {result.summary.get('files', 0)} files."
    )
    return "\n".join(lines) + "\n"
