"""The pure core: documents in, findings out. Nothing here prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from mtqa.checks import CheckContext, run_checkers
from mtqa.config import Config
from mtqa.document import Document
from mtqa.errors import InputError
from mtqa.formats import expand_paths, read_document
from mtqa.model import Finding, Severity
from mtqa.selection import Selection, severity_for

#: Checkers whose findings give way to an overlapping built-in finding of the same category.
SECONDARY_CHECKERS = frozenset({"languagetool"})


@dataclass
class CheckResult:
    """Findings, per-file input errors and the summary of one run."""

    findings: list[Finding]
    errors: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    readability: bool = True  # whether readability rules were selected (figures wanted)
    #: Readability figures per path, when a checker computed them on the way.
    figures: dict[str, Any] | None = None

    def full_summary(self) -> dict[str, Any]:
        """The summary plus per-document readability figures (computed now, on demand).

        Figures need textstat's pronouncing dictionary, which costs about a second to load, so
        they are computed only for reporters that show them.
        """
        from mtqa.rules.engines.readability import document_figures

        summary = dict(self.summary)
        if self.documents and self.readability and "readability" not in summary:
            if self.figures is not None:
                summary["readability"] = self.figures
                return summary
            summary["readability"] = {d.path: document_figures(d) for d in self.documents}
        return summary

    def count_at_or_above(self, level: str) -> int:
        """How many findings are at ``level`` or more severe ("never" counts none)."""
        if level == "never":
            return 0
        rank = Severity(level).rank
        return sum(1 for f in self.findings if f.severity.rank >= rank)


def selection_of(config: Config) -> Selection:
    """The rule selection a configuration asks for."""
    return Selection(config.select, config.ignore, config.extend_select)


def check_documents(
    documents: Sequence[Document], config: Config, figures: bool = False
) -> CheckResult:
    """Run every selected checker over the documents and return located, sorted findings.

    ``figures``: the caller will ask for the readability figures (``full_summary``), so they
    may be computed alongside the checks.
    """
    ctx = CheckContext(config, selection_of(config), figures=figures)
    raw = run_checkers(documents, ctx)
    by_path = {d.path: d for d in documents}
    findings = finalize(raw, documents, config, ctx.selection, by_path)
    summary = ctx.summary
    summary["files"] = len(documents)
    summary["findings"] = len(findings)
    summary["by_severity"] = dict(Counter(f.severity.value for f in findings))
    summary["by_category"] = dict(sorted(Counter(f.category for f in findings).items()))
    return CheckResult(
        findings,
        [],
        summary,
        ctx.notices,
        list(documents),
        ctx.selection.any_enabled("RD"),
        ctx.figures_found,
    )


def finalize(
    raw: Iterable[Finding],
    documents: Sequence[Document],
    config: Config,
    selection: Selection,
    by_path: dict[str, Document],
) -> list[Finding]:
    """Select, re-grade, locate, de-duplicate and sort raw findings."""
    # A big run has thousands of findings of a few dozen rules: decide per rule once.
    enabled: dict[str, bool] = {}
    grades: dict[tuple[str, Severity], Severity] = {}
    located: list[Finding] = []
    for finding in raw:
        rule = finding.rule
        chosen = enabled.get(rule)
        if chosen is None:
            chosen = enabled[rule] = selection.enabled(rule)
        if not chosen:
            continue
        document = by_path.get(finding.path) if finding.path else None
        if document is None:
            document = _owner(finding, documents)
        located.append(locate(finding, document, config, grades))
    located.sort(key=_SORT_KEY)
    return dedupe(located)


#: Finding.sort_key as a C-level key function.
_SORT_KEY = attrgetter("path", "offset", "length", "rule")


def _owner(finding: Finding, documents: Sequence[Document]) -> Document:
    if len(documents) == 1:
        return documents[0]
    raise ValueError(f"finding {finding.rule} has no path and there are several documents")


def locate(
    finding: Finding,
    document: Document,
    config: Config,
    grades: dict[tuple[str, Severity], Severity] | None = None,
) -> Finding:
    """Fill in path, line/column, unit id and the configured severity.

    ``grades`` remembers the configured severity per (rule, default) across calls.
    """
    line, column = document.locate(finding.offset)
    end_line, end_column = document.locate(finding.end)
    segment = finding.segment
    if segment is None and document.bilingual:
        unit_index = document.unit_at(finding.offset)
        if unit_index is not None:
            segment = document.units[unit_index].id
    return finding.evolve(
        path=document.path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        segment=segment,
        severity=_grade(finding, config, grades if grades is not None else {}),
    )


def _grade(
    finding: Finding, config: Config, grades: dict[tuple[str, Severity], Severity]
) -> Severity:
    key = (finding.rule, finding.severity)
    severity = grades.get(key)
    if severity is None:
        severity = grades[key] = severity_for(finding.rule, finding.severity, config.severity)
    return severity


#: A built-in finding of the key category also explains a secondary finding of these categories
#: on the same words: "Zhou bo" is a casing problem, not a misspelling of "Beau".
EXPLAINS: dict[str, frozenset[str]] = {
    "fluency/capitalization": frozenset({"fluency/spelling"}),
    "terminology": frozenset({"fluency/spelling", "style/awkward"}),
    "accuracy/untranslated": frozenset({"fluency/spelling"}),
    "fluency/repetition": frozenset({"fluency/grammar", "style/awkward"}),
}


def dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop exact duplicates, and secondary findings that repeat a built-in one.

    A LanguageTool match that overlaps a built-in finding of the same category says the same
    thing ("the the" is both a doubled word and LanguageTool's word-repeat rule): keep one.
    The same holds where the built-in category explains the other (see ``EXPLAINS``).
    """
    out: list[Finding] = []
    primary: dict[tuple[str, str], list[tuple[int, int]]] = {}
    secondary = any(f.checker in SECONDARY_CHECKERS for f in findings)
    for f in findings if secondary else ():
        if f.checker not in SECONDARY_CHECKERS:
            primary.setdefault((f.path, f.category), []).append((f.offset, f.end))
            for explained in EXPLAINS.get(f.category, ()):
                primary.setdefault((f.path, explained), []).append((f.offset, f.end))
    seen: set[tuple[str, str, int, int]] = set()
    for f in findings:
        key = (f.path, f.rule, f.offset, f.length)
        if key in seen:
            continue
        seen.add(key)
        if f.checker in SECONDARY_CHECKERS and any(
            start < f.end and f.offset < end for start, end in primary.get((f.path, f.category), [])
        ):
            continue
        out.append(f)
    return out


def read_documents(
    paths: Sequence[str], stdin: bytes | None = None, stdin_format: str = ".txt"
) -> tuple[list[Document], list[str]]:
    """Read every path (folders recursively); unreadable files become error messages."""
    documents: list[Document] = []
    errors: list[str] = []
    for path, error in expand_paths(list(paths)):
        if error is not None:
            errors.append(str(error))
            continue
        try:
            documents.append(read_document(path, stdin if path == "-" else None, stdin_format))
        except InputError as exc:
            errors.append(str(exc))
    return documents, errors


def check_paths(
    paths: Sequence[str],
    config: Config,
    stdin: bytes | None = None,
    stdin_format: str = ".txt",
    figures: bool = False,
) -> CheckResult:
    """Read and check files; input errors are reported, and the other files still checked."""
    documents, errors = read_documents(paths, stdin, stdin_format)
    result = check_documents(documents, config, figures) if documents else CheckResult([], [], {})
    result.errors = errors
    result.summary["errors"] = len(errors)
    return result


def check_text(text: str, config: Config | None = None, path: str = "<text>") -> list[Finding]:
    """Check a string as a plain-text document (one unit per line)."""
    from mtqa.formats.plain import read_text

    document = read_text(path, text)
    return check_documents([document], config or Config()).findings
