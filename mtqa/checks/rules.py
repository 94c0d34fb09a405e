"""The rule-pack checker: every YAML rule, run by its engine over each document."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import Any

from mtqa.checks import CheckContext
from mtqa.document import Document, Unit
from mtqa.model import Finding
from mtqa.rules.model import CompiledRule, ScanContext

LONG_UNIT = 4000
WINDOW = 1000
_MINUS_ONE = (-1).__add__


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ranges covering ``spans``."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _span(unit: Unit, end: int) -> tuple[int, int]:
    """The range to scan for an anchor ending at ``end`` in ``unit``."""
    unit_start = unit.offset
    unit_end = unit_start + len(unit.target)
    if unit_end - unit_start > LONG_UNIT:
        return max(unit_start, end - WINDOW), min(unit_end, end + WINDOW)
    return unit_start, unit_end


@dataclass
class RulesChecker:
    """Runs the selected rules of the built-in and configured rule packs."""

    rules: list[CompiledRule]
    name: str = "rules"
    _automaton: Any = field(default=None, repr=False)
    #: The anchors of the automaton, by number, and per pattern number of the automaton the
    #: codes of the rules it belongs to (the numbers beyond the anchors stand for the first
    #: bytes of characters beyond ASCII: they belong to rules with a ``lowest`` character).
    _anchors: list[str] = field(default_factory=list, repr=False)
    _owners: list[tuple[str, ...]] = field(default_factory=list, repr=False)
    _wide: frozenset[str] = field(default=frozenset(), repr=False)
    _anchors_ascii: bool | None = field(default=None, repr=False)

    def _prefilter(self) -> Any:
        """One automaton over the anchors of every anchored rule; False when no rule has
        anchors or a lowest character."""
        if self._automaton is None:
            owners: dict[str, set[str]] = {}
            lowest: dict[str, int] = {}
            for rule in self.rules:
                for anchor in getattr(rule, "anchors", None) or ():
                    owners.setdefault(anchor, set()).add(rule.meta.code)
                if getattr(rule, "lowest", None) is not None:
                    lowest[rule.meta.code] = getattr(rule, "lowest")  # noqa: B009
            if owners or lowest:
                from mtqa.search import LEAD_BYTES, ByteSearch, lead_byte

                anchors = self._anchors = sorted(owners)
                self._owners = [tuple(sorted(owners[a])) for a in anchors]
                # A character starting with a lead byte of at least that of a rule's lowest
                # character may be the start of a match.
                self._owners += [
                    tuple(sorted(c for c, low in lowest.items() if lead_byte(low) <= lead))
                    for lead in LEAD_BYTES
                ]
                self._wide = frozenset(lowest)
                self._automaton = ByteSearch(anchors)
            else:
                self._automaton = False
        return self._automaton

    def _lowered(self, text: str) -> tuple[bytes, bool] | None:
        """``text.lower()`` as UTF-8, as far as the anchors can tell, and whether characters
        beyond ASCII are as in the text; None when lowercasing changes the length of the text
        (rare scripts), so offsets would not map back.

        Lowercasing the UTF-8 bytes changes only ASCII letters. That is all the anchors can see
        when none of them holds a non-ASCII letter, unless the text holds one of the two
        characters that lowercase to ASCII letters (the Kelvin sign and "İ").
        """
        from mtqa.search import encode

        if self._ascii_anchors and "\u212a" not in text and "\u0130" not in text:
            return encode(text).lower(), True
        lowered = text.lower()
        if len(lowered) != len(text):
            return None
        encoded = encode(lowered)
        return encoded, encoded == encode(text).lower()

    @property
    def _ascii_anchors(self) -> bool:
        if self._anchors_ascii is None:
            anchors = [a for r in self.rules for a in getattr(r, "anchors", None) or ()]
            self._anchors_ascii = all(
                c.isascii() or c.lower() == c.upper() for a in anchors for c in a
            )
        return self._anchors_ascii

    def anchor_ends(
        self, text: str, leads: bool = False
    ) -> tuple[list[int], list[int], bool] | None:
        """Pattern numbers and the offsets one past them, for every anchor in ``text`` in
        any case (overlapping ones included), and with ``leads`` every character beyond ASCII;
        then whether those characters were searched as they are in the text (see
        :meth:`_lowered`). None when the prefilter cannot be used."""
        automaton = self._prefilter()
        lowered = self._lowered(text) if automaton is not False else None
        if lowered is None:
            return None
        encoded, exact = lowered
        numbers, ends = automaton.ends(encoded, len(text), leads)
        return numbers, ends, exact

    def candidates(self, document: Document) -> dict[str, list[tuple[int, int]]] | None:
        """Rule code -> the ranges of ``document`` worth scanning: units holding an anchor of
        the rule, or a character that a match of it may start with.

        In a unit longer than ``LONG_UNIT`` characters (a whole file on one line, say) only a
        window of ``WINDOW`` characters on each side of the anchor is scanned, so the cost stays
        linear in the document; no rule pattern matches that much text.
        """
        text = document.scan_text
        self._prefilter()  # decides which rules need the characters beyond ASCII (_wide)
        hits = self.anchor_ends(text, bool(self._wide))
        if hits is None:
            return None  # scan everything
        numbers, ends, exact = hits
        units = document.units
        starts = document.unit_starts
        # The index of each hit's unit (-1 before the first), in one C-level map; then the
        # units of each rule's anchors.
        indices = map(_MINUS_ONE, map(bisect_left, repeat(starts), ends))
        owners = self._owners
        held_by: dict[str, set[int]] = {}
        for number, index in set(zip(numbers, indices, strict=True)):
            for code in owners[number]:
                held = held_by.get(code)
                if held is None:
                    held_by[code] = held = set()
                held.add(index)
        long_units = max(map(len, map(itemgetter(0), units)), default=0) > LONG_UNIT
        windows = self._windows(document, numbers, ends) if long_units else {}
        unit_ends = document.unit_ends
        found: dict[str, list[tuple[int, int]]] = {}
        for code, held in held_by.items():
            held.discard(-1)
            if long_units:
                spans = [span for index, span in windows[code] if index in held]
            else:
                order = sorted(held)
                begins = map(starts.__getitem__, order)
                spans = list(zip(begins, map(unit_ends.__getitem__, order), strict=True))
                if document.units_apart:
                    found[code] = spans  # sorted, and no two touch: nothing to merge
                    continue
            found[code] = _merge(spans)
        if not exact:
            # Lowercasing changed characters beyond ASCII: their first bytes say nothing.
            found.update({code: [(0, len(text))] for code in self._wide})
        return found

    def _windows(
        self, document: Document, numbers: list[int], ends: list[int]
    ) -> dict[str, list[tuple[int, tuple[int, int]]]]:
        """Rule code -> (unit index, range to scan) around each of its anchors."""
        units, starts = document.units, document.unit_starts
        out: dict[str, list[tuple[int, tuple[int, int]]]] = {}
        for number, end in zip(numbers, ends, strict=True):
            index = bisect_left(starts, end) - 1
            if index >= 0:
                span = _span(units[index], end - 1)
                for code in self._owners[number]:
                    out.setdefault(code, []).append((index, span))
        return out

    def check(self, documents: Sequence[Document], ctx: CheckContext) -> list[Finding]:
        """Findings of every selected rule in every document.

        Big inputs are shared out between worker processes (see :mod:`mtqa.checks.parallel`).
        """
        from mtqa.checks import parallel

        settings: dict[str, Any] = {"readability": ctx.config.readability}
        workers = parallel.workers_for(documents, ctx.config.jobs)
        if workers == 0:
            return [f for d in documents for f in self._scan(d, self.rules, settings)]
        whole = [r for r in self.rules if getattr(r, "scope", "unit") == "document"]
        local = [r for r in self.rules if getattr(r, "scope", "unit") != "document"]
        self._prefilter()  # built once, before forking, and shared by the workers

        def scan_piece(piece: Document) -> Iterator[Finding]:
            return self._scan(piece, local, settings)

        # Whole-document rules first: they are the longest tasks, so they start at once. Many
        # small files are batched: a few tasks per process for each kind of work, so that
        # the queue stays short (within parallel.MAX_TASKS).
        sizes = [len(d.text) for d in documents]
        per_rule = max(1, workers * 2 // max(1, len(whole)))
        tasks: list[parallel.Task] = []
        figures = ctx.figures and ctx.selection.any_enabled("RD")
        if figures:
            # The readability figures of the JSON summary, in two halves per document: at
            # the end, in this process, they would take as long as all the checks.
            for half in (_figure_counts, _figure_words):
                for batch in parallel.batches(sizes, per_rule):
                    tasks.append(partial(half, documents, batch))
        tasks += [
            partial(self._findings, [documents[i] for i in batch], rule, settings)
            for rule in whole
            for batch in parallel.batches(sizes, per_rule)
        ]
        pieces = parallel.pieces_for(documents, workers)
        piece_sizes = [parallel.piece_size(documents[p.document], p) for p in pieces]
        for batch in parallel.batches(piece_sizes, workers * parallel.PIECES_PER_WORKER):
            chosen = [pieces[i] for i in batch]
            tasks.append(partial(parallel.check_pieces, documents, chosen, scan_piece))

        def prepare_locating() -> None:
            # The line tables that locating the findings needs, built while workers finish.
            for document in documents:
                document.locate(0)

        results = parallel.run(tasks, workers, prepare_locating)
        findings = [r for r in results if isinstance(r, Finding)]
        if figures:
            _store_figures(documents, [r for r in results if isinstance(r, _Part)], ctx)
        return findings

    def _findings(
        self, documents: Sequence[Document], rule: CompiledRule, settings: dict[str, Any]
    ) -> list[Finding]:
        """One rule's findings in some documents."""
        return [f for d in documents for f in self._scan(d, [rule], settings)]

    def _scan(
        self, document: Document, rules: Sequence[CompiledRule], settings: dict[str, Any]
    ) -> Iterator[Finding]:
        """Findings of ``rules`` in one document."""
        if not rules:
            return
        anchored = any(
            getattr(rule, "anchors", None) or getattr(rule, "lowest", None) for rule in rules
        )
        scan = ScanContext(document, settings, self.candidates(document) if anchored else None)
        path = document.path
        for rule in rules:
            for finding in rule.scan(scan):
                yield finding.evolve(path=path)


@dataclass(frozen=True)
class _Part:
    """Half of the readability figures of document number ``index`` (see readability)."""

    index: int
    half: str
    value: tuple[int, ...]


def _figure_words(documents: Sequence[Document], batch: range) -> list[_Part]:
    from mtqa.rules.engines.readability import figure_words

    return [_Part(i, "words", figure_words(documents[i])) for i in batch]


def _figure_counts(documents: Sequence[Document], batch: range) -> list[_Part]:
    from mtqa.rules.engines.readability import figure_counts

    return [_Part(i, "counts", figure_counts(documents[i])) for i in batch]


def _store_figures(documents: Sequence[Document], parts: list[_Part], ctx: CheckContext) -> None:
    """The figures of every document, in ``ctx.figures_found``, as
    ``CheckResult.full_summary`` would compute them."""
    from mtqa.rules.engines.readability import figures_from

    halves = {(p.index, p.half): p.value for p in parts}
    if len(halves) != 2 * len(documents):
        return  # not all there: full_summary computes them
    figures = {}
    for i, document in enumerate(documents):
        words, sentences = halves[i, "words"]
        words_, sentences_, syllables = halves[i, "counts"]
        figures[document.path] = figures_from(words, sentences, (words_, sentences_, syllables))
    ctx.figures_found = figures


def build(ctx: CheckContext) -> RulesChecker | str:
    """Load the packs and keep the selected rules."""
    from mtqa.checks import FAMILIES
    from mtqa.rules.loader import load_rules

    # "--select LT" or "--select GL": no rule pack can be selected, so do not load them.
    others = [prefix for families in FAMILIES.values() for prefix in families]
    if all(any(chosen.startswith(o) for o in others) for chosen in ctx.selection.select):
        return "no rule selected"
    rules = [r for r in load_rules(ctx.config.rule_packs) if ctx.selection.enabled(r.meta.code)]
    if not rules:
        return "no rule selected"
    ctx.summary.setdefault("checkers", {})["rules"] = {"status": "ran", "rules": len(rules)}
    return RulesChecker(rules)
