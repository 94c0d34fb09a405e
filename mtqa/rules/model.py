"""What a rule is once its YAML has been read: metadata plus a compiled engine."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from mtqa.cache import INFLECTIONS
from mtqa.document import Document
from mtqa.errors import ConfigError
from mtqa.inflect import match_case
from mtqa.model import Applicability, Finding, Severity, make_fix, new_finding
from mtqa.rules.frozen import Frozen, freeze, thaw
from mtqa.text import PROTECT_KINDS, Spans, protected_ranges


@dataclass(frozen=True)
class Example:
    """An example sentence; for "flag" examples, optionally the first expected suggestion."""

    text: str
    suggestion: str | None = None


@dataclass(frozen=True)
class RuleMeta:
    """Everything about a rule except how it matches."""

    code: str
    name: str
    category: str
    severity: Severity
    message: str
    why: str
    engine: str
    pack: str
    flag: tuple[Example, ...] = ()
    ok: tuple[Example, ...] = ()
    fix: Applicability | None = None
    protect: tuple[str, ...] = ("url", "code", "mention")
    source: str = ""  # file the rule was read from


class ScanContext:
    """Per-document caches shared by all rules: protected spans by kind, prefilter results."""

    def __init__(
        self,
        document: Document,
        settings: Mapping[str, Any],
        candidates: Mapping[str, list[tuple[int, int]]] | None = None,
    ):
        self.document = document
        self.settings = settings
        self._protected: dict[tuple[str, ...], UnitSpans] = {}
        #: engines share work between rules here (e.g. one repetition pass for two rules)
        self.cache: dict[str, Any] = {}
        #: rule code -> ranges (units) worth scanning; None when no prefilter ran.
        self.candidates = candidates

    def ranges_for(self, code: str, prefiltered: bool) -> list[tuple[int, int]]:
        """Where a rule should look: its candidate units, or the whole document."""
        if prefiltered and self.candidates is not None:
            return self.candidates.get(code, [])
        return [(0, len(self.document.scan_text))]

    def protected(self, kinds: tuple[str, ...]) -> UnitSpans:
        """Ranges of the document that rules protecting ``kinds`` must not flag.

        Computed unit by unit, on demand: most units never hold a candidate finding.
        """
        spans = self._protected.get(kinds)
        if spans is None:
            spans = UnitSpans(self.document, kinds)
            self._protected[kinds] = spans
        return spans


class UnitSpans:
    """Protected ranges of a document, computed for a unit the first time it is asked about."""

    def __init__(self, document: Document, kinds: tuple[str, ...]) -> None:
        self.document = document
        self.kinds = tuple(k for k in kinds if not (k == "mention" and "quotes" in kinds))
        self._starts = document.unit_starts
        self._units: dict[int, Spans] = {}

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) touches a protected range of its unit."""
        index = bisect_right(self._starts, start) - 1
        spans = self._units.get(index)
        if spans is None:
            text = self.document.scan_text
            if index >= 0:
                unit = self.document.units[index]
                begin, stop = unit.offset, unit.offset + len(unit.target)
            else:
                begin, stop = 0, len(text)
            ranges: list[tuple[int, int]] = []
            for kind in self.kinds:
                ranges.extend(protected_ranges(text, kind, begin, stop))
            spans = Spans(ranges)
            self._units[index] = spans
        return spans.overlaps(start, end)


class CompiledRule(Protocol):
    """A rule ready to scan documents.

    A rule looks at one unit at a time, with a little context around a match, unless its class
    sets ``scope = "document"`` (it counts uses across the whole document). Only unit-scope
    rules may be run on a piece of a document (see :mod:`mtqa.checks.parallel`).
    """

    meta: RuleMeta

    def scan(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings of this rule in ``ctx.document``."""
        ...


def make_finding(
    meta: RuleMeta,
    start: int,
    end: int,
    text: str,
    suggestions: Sequence[str] = (),
    message: str | None = None,
    fix_span: tuple[int, int] | None = None,
    fix_text: str | None = None,
) -> Finding:
    """Build a finding of ``meta`` at [start, end) with its fix from the first suggestion."""
    fix = None
    if meta.fix is not None and (suggestions or fix_text is not None):
        span = fix_span or (start, end)
        replacement = fix_text if fix_text is not None else suggestions[0]
        fix = make_fix(span[0], span[1] - span[0], replacement, meta.fix)
    msg = message if message is not None else meta.message
    if "{" in msg:
        msg = msg.replace("{text}", text).replace(
            "{suggestion}", suggestions[0] if suggestions else ""
        )
    return new_finding(
        rule=meta.code,
        name=meta.name,
        category=meta.category,
        severity=meta.severity,
        offset=start,
        length=end - start,
        message=msg,
        text=text,
        suggestions=tuple(dict.fromkeys(s for s in suggestions if s != text)),
        fix=fix,
    )


# ---------------------------------------------------------------------------------------------
# Helpers shared by the pattern engines.


def require(params: Mapping[str, Any], allowed: set[str], where: str) -> None:
    """Reject unknown engine parameters, naming the first one."""
    for key in params:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key '{key}'")


def compile_regex(pattern: str, where: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Compile a rule pattern; a space stands for any run of whitespace within a unit."""
    try:
        return re.compile(spaces_to_whitespace(pattern), flags)
    except re.error as exc:
        raise ConfigError(f"{where}: invalid regular expression ({exc})") from None


class LazyPattern:
    """A rule regex compiled on first use, with its literal anchors known up front.

    Compiling a hundred rule patterns costs a quarter of a second, and most rules never find
    their anchor in a given document. A pattern that compiled before (remembered in the
    user's cache with its anchors) is not compiled again until a document needs it; a new one
    is compiled at once, so a broken user pattern is still reported when its pack loads.
    """

    def __init__(self, source: str, where: str, flags: int = re.IGNORECASE) -> None:
        from mtqa.cache import PATTERNS

        self.pattern = spaces_to_whitespace(source)
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None
        self._frozen: Frozen | None = None
        key = f"{flags}:{self.pattern}"
        missing = object()
        known = PATTERNS.get(key, missing)
        if known is missing or not (known is None or isinstance(known, list)):
            compiled = compile_regex(source, where, flags)
            self._compiled = compiled
            from mtqa.rules.anchors import regex_anchors

            found = regex_anchors(compiled)
            PATTERNS.put(key, sorted(found) if found else None)
            self.anchors = found
        else:
            self.anchors = frozenset(known) if known else None
        #: For a case-sensitive pattern that can only start with a character beyond ASCII:
        #: the lowest such character's code point (see mtqa.rules.anchors).
        self.lowest: int | None = None
        if not flags & re.IGNORECASE and self.anchors is None:
            from mtqa.rules.anchors import lowest_first_character

            self.lowest = lowest_first_character(self.pattern, flags)

    def __getstate__(self) -> dict[str, Any]:
        # Pickled (the on-disk rule cache) with the regex engine's code instead of the
        # compiled object, which would be compiled from source again (see mtqa.rules.frozen).
        frozen = getattr(self, "_frozen", None) or freeze(self.pattern, self.flags)
        return {**self.__dict__, "_compiled": None, "_frozen": frozen}

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled regular expression."""
        if self._compiled is None:
            self._compiled = thaw(getattr(self, "_frozen", None), self.pattern, self.flags)
        return self._compiled


def spaces_to_whitespace(pattern: str) -> str:
    r"""Turn literal spaces outside character classes into ``[ \t\r\n\u00a0]+``."""
    out: list[str] = []
    in_class = False
    escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            in_class = ch != "]"
            out.append(ch)
        elif ch == "[":
            in_class = True
            out.append(ch)
        elif ch == " ":
            if out and out[-1] == r"[ \t\r\n\u00a0]+":
                continue
            out.append(r"[ \t\r\n\u00a0]+")
        else:
            out.append(ch)
    return "".join(out)


_TEMPLATE = re.compile(r"\{(?:([A-Za-z][\w'-]*)@)?(\w+)\}")


@dataclass
class Template:
    """A suggestion template: ``{N}`` inserts group N; ``{make@N}`` is "make" inflected like it.

    ``{make@N}`` renders as nothing when group N took no part in the match.
    """

    text: str
    group_name: str = "{}"

    def render(self, match: re.Match[str], flagged: str) -> str:
        """The suggestion for one match, with the capitalisation of the flagged text."""

        def repl(m: re.Match[str]) -> str:
            ref = m.group(2)
            group = self.group_name.format(ref) if ref.isdigit() else ref
            try:
                word = match.group(int(group) if group.isdigit() else group) or ""
            except IndexError:
                return ""
            if m.group(1):
                # A group that took no part in the match inflects to nothing, so one template
                # can serve alternatives: "{improve@1}{improve@2}".
                if not word.strip():
                    return ""
                return INFLECTIONS.like(m.group(1), word.split()[-1])
            return word

        rendered = _TEMPLATE.sub(repl, self.text)
        if rendered.strip():
            rendered = " ".join(rendered.split())
        return match_case(flagged, rendered)


@dataclass
class Conditions:
    """Context conditions that suppress a match."""

    unless: LazyPattern | None = None
    unless_before: LazyPattern | None = None
    unless_after: LazyPattern | None = None
    only_if: LazyPattern | None = None
    window: int = 80

    @classmethod
    def from_params(cls, params: Mapping[str, Any], where: str) -> Conditions:
        """Read ``unless``, ``unless-before``, ``unless-after`` and ``only-if`` regexes."""

        def get(key: str, suffix: str = "") -> LazyPattern | None:
            value = params.get(key)
            if value is None:
                return None
            if isinstance(value, list):
                value = "|".join(f"(?:{v})" for v in value)
            if not isinstance(value, str):
                raise ConfigError(f"{where}: '{key}' must be a regex or a list of regexes")
            return LazyPattern(f"(?:{value}){suffix}", f"{where}: {key}")

        return cls(
            unless=get("unless"),
            unless_before=get("unless-before", r"\W*$"),
            unless_after=get("unless-after"),
            only_if=get("only-if"),
        )

    def suppress(self, document: Document, start: int, end: int) -> bool:
        """True when the context around [start, end) rules the match out."""
        text = document.scan_text
        if self.unless_before is not None and self.unless_before.compiled.search(
            text, max(0, start - self.window), start
        ):
            return True
        if self.unless_after is not None:
            after = text[end : end + self.window]
            if self.unless_after.compiled.match(after.lstrip(" \t\r\n")):
                return True
        if self.unless is not None or self.only_if is not None:
            sentence = document.sentence_at(start)
            body = sentence.text if sentence is not None else text[start:end]
            if self.unless is not None and self.unless.compiled.search(body):
                return True
            if self.only_if is not None and not self.only_if.compiled.search(body):
                return True
        return False

    @property
    def empty(self) -> bool:
        """True when no condition is set."""
        return not (self.unless or self.unless_before or self.unless_after or self.only_if)


CONDITION_KEYS = {"unless", "unless-before", "unless-after", "only-if"}


@dataclass
class PatternRule:
    """A rule that is one regex plus context conditions and suggestion templates."""

    meta: RuleMeta
    pattern: LazyPattern
    conditions: Conditions
    templates: list[Template] = field(default_factory=list)
    swap: dict[str, list[str]] | None = None
    mark: str | int | None = None
    anchors: frozenset[str] | None = None
    #: Without anchors: the lowest code point a match can start with, when beyond ASCII.
    lowest: int | None = None

    def __post_init__(self) -> None:
        if self.anchors is None:
            self.anchors = self.pattern.anchors
        if self.anchors is None:
            self.lowest = getattr(self.pattern, "lowest", None)

    @property
    def regex(self) -> re.Pattern[str]:
        """The rule's compiled regular expression."""
        return self.pattern.compiled

    def scan(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings of the regex, less protected and ruled-out matches."""
        prefiltered = self.anchors is not None or self.lowest is not None
        ranges = ctx.ranges_for(self.meta.code, prefiltered)
        if not ranges:
            return
        document = ctx.document
        text = document.scan_text
        finditer = self.regex.finditer
        protected = ctx.protected(self.meta.protect) if self.meta.protect else None
        conditions = None if self.conditions.empty else self.conditions
        mark = self.mark
        # Most candidate ranges hold no match: keep the per-range work to one regex call.
        for begin, stop in ranges:
            for match in finditer(text, begin, stop):
                start, end = match.span(mark) if mark is not None else match.span()
                if start == end:
                    continue
                if protected and protected.overlaps(start, end):
                    continue
                if conditions is not None and conditions.suppress(document, start, end):
                    continue
                flagged = text[start:end]
                if self.swap is not None:
                    options = self.swap.get(_norm(flagged), [])
                    suggestions = [match_case(flagged, s) for s in options]
                else:
                    suggestions = [t.render(match, flagged) for t in self.templates]
                yield make_finding(self.meta, start, end, flagged, suggestions)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def read_protect(
    params: Mapping[str, Any], default: tuple[str, ...], where: str
) -> tuple[str, ...]:
    """The ``protect`` list of a rule, validated."""
    value = params.get("protect", list(default))
    if not isinstance(value, list) or not all(v in PROTECT_KINDS for v in value):
        raise ConfigError(f"{where}: 'protect' must be a list of {sorted(PROTECT_KINDS)}")
    return tuple(sorted(value))
