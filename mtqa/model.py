"""The finding model shared by every check, reporter and fixer."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How serious a finding is; ordered error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Numeric rank: 3 for error, 2 for warning, 1 for info."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}


class Applicability(StrEnum):
    """When a fix may be applied without a human looking at it (as in ruff)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


#: MQM-based categories; every finding carries exactly one of these.
CATEGORIES: frozenset[str] = frozenset(
    {
        "accuracy/mistranslation",
        "accuracy/omission",
        "accuracy/addition",
        "accuracy/untranslated",
        "accuracy/number",
        "accuracy/placeholder",
        "fluency/grammar",
        "fluency/spelling",
        "fluency/punctuation",
        "fluency/repetition",
        "fluency/capitalization",
        "fluency/inconsistency",
        "terminology",
        "style/awkward",
        "style/readability",
    }
)


@dataclass(frozen=True)
class Edit:
    """Replace ``length`` characters at ``offset`` (document characters) with ``replacement``."""

    offset: int
    length: int
    replacement: str


@dataclass(frozen=True)
class Fix:
    """A set of non-overlapping edits that together repair one finding."""

    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.UNSAFE
    description: str = ""


@dataclass(frozen=True)
class Finding:
    """One problem at one place in one document.

    ``offset`` and ``length`` count Unicode characters of the decoded document. ``line``,
    ``column``, ``end_line`` and ``end_column`` are 1-based and filled in by the core once the
    finding is tied to its document (a check may leave them at 0).
    """

    rule: str
    name: str
    category: str
    severity: Severity
    offset: int
    length: int
    message: str
    text: str
    suggestions: tuple[str, ...] = ()
    fix: Fix | None = None
    path: str = ""
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    segment: str | None = None
    checker: str = "rules"
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def end(self) -> int:
        """Offset one past the last flagged character."""
        return self.offset + self.length

    def evolve(self, **changes: Any) -> Finding:
        """A copy with some fields changed, like ``dataclasses.replace`` but five times faster.

        Runs see thousands of findings move through a few such steps (path, offsets, line and
        column), and a frozen dataclass's ``__init__`` sets each of its 18 fields the slow way.
        """
        unknown = changes.keys() - _FINDING_FIELDS
        if unknown:
            raise TypeError(f"Finding has no field {sorted(unknown)[0]!r}")
        new = object.__new__(Finding)
        state = new.__dict__
        state.update(self.__dict__)
        state.update(changes)
        return new

    def sort_key(self) -> tuple[str, int, int, str]:
        """Stable order: by path, position, then rule code."""
        return (self.path, self.offset, self.length, self.rule)


_FINDING_FIELDS = frozenset(f.name for f in fields(Finding))
_FINDING_DEFAULTS = {f.name: f.default for f in fields(Finding) if f.default is not MISSING}
_FINDING_REQUIRED = _FINDING_FIELDS - _FINDING_DEFAULTS.keys()


def new_finding(**values: Any) -> Finding:
    """``Finding(**values)``, five times faster: the frozen dataclass's ``__init__`` sets each
    of its 18 fields the slow way, and checks make thousands of findings."""
    keys = values.keys()
    if not keys >= _FINDING_REQUIRED or not keys <= _FINDING_FIELDS:
        return Finding(**values)  # raises the usual TypeError
    new = object.__new__(Finding)
    state = new.__dict__
    state.update(_FINDING_DEFAULTS)
    state.update(values)
    return new


def make_fix(
    offset: int, length: int, replacement: str, applicability: Applicability, description: str = ""
) -> Fix:
    """A fix that replaces one span."""
    return Fix((Edit(offset, length, replacement),), applicability, description)
