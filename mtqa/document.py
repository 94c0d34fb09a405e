"""Documents and their translation units, with exact offsets back into the file."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, repeat
from operator import add, itemgetter, lt
from typing import NamedTuple, overload

from mtqa.text import UNIT_SEPARATOR, sentence_spans


class Unit(NamedTuple):
    """One translation unit: target text at ``offset`` in the document, and optional source.

    For monolingual input the source is ``None``. ``id`` is the unit id (XLIFF/PO) or the line
    number (TSV, plain text). A named tuple: documents hold one per line, and it is immutable
    and cheap to create.
    """

    target: str
    offset: int
    id: str | None = None
    source: str | None = None
    source_offset: int | None = None


_TARGET, _OFFSET = itemgetter(0), itemgetter(1)  # Unit.target and .offset, in C


class LineUnits(Sequence[Unit]):
    """The units of a plain-text document, one per non-blank line, made when first asked for.

    A list would hold a tuple per line before any check starts; a big input is checked in
    pieces by several processes, and each only needs the units of its pieces (see
    :meth:`shifted`). Once iterated, the units are kept. Equal to the list of the same units.
    """

    __slots__ = ("_made", "lines", "offsets", "targets")

    def __init__(self, targets: list[str], offsets: list[int], lines: list[int]) -> None:
        self.targets = targets  #: each unit's target (the stripped line)
        self.offsets = offsets  #: each unit's offset
        self.lines = lines  #: each unit's line number (its id)
        self._made: list[Unit] | None = None

    def __len__(self) -> int:
        return len(self.targets)

    @overload
    def __getitem__(self, index: int) -> Unit: ...

    @overload
    def __getitem__(self, index: slice) -> list[Unit]: ...

    def __getitem__(self, index: int | slice) -> Unit | list[Unit]:
        if self._made is not None:
            return self._made[index]
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:
                return self.shifted(start, max(start, stop), 0)
            return self.shifted(0, len(self), 0)[index]
        return Unit(self.targets[index], self.offsets[index], str(self.lines[index]))

    def __iter__(self) -> Iterator[Unit]:
        if self._made is None:
            self._made = self.shifted(0, len(self), 0)
        return iter(self._made)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LineUnits | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # like a list

    def __repr__(self) -> str:
        return f"LineUnits({list(self)!r})"

    def shifted(self, start: int, stop: int, by: int) -> list[Unit]:
        """Units ``start`` to ``stop - 1`` with their offsets moved by ``by``, made in C-level
        passes."""
        offsets = self.offsets[start:stop]
        moved = map(add, offsets, repeat(by)) if by else offsets
        rows = zip(
            self.targets[start:stop],
            moved,
            map(str, self.lines[start:stop]),
            repeat(None),
            repeat(None),
        )
        return list(map(tuple.__new__, repeat(Unit), rows))


@dataclass(frozen=True)
class Sentence:
    """A sentence of a unit's target text, with its absolute offset in the document."""

    text: str
    offset: int
    unit: int

    @property
    def end(self) -> int:
        """Offset one past the sentence."""
        return self.offset + len(self.text)


@dataclass
class Document:
    """A decoded file: its text, its units, and helpers that map offsets to lines."""

    path: str
    text: str
    units: Sequence[Unit]
    format: str = "txt"
    source_language: str | None = None
    target_language: str | None = None
    #: The scan text, when the reader built it on the way (it must equal what
    #: :attr:`scan_text` computes from the units).
    masked: str | None = field(default=None, repr=False)
    _unit_starts: list[int] = field(default_factory=list, repr=False)
    _unit_sentences: dict[int, list[Sentence]] = field(default_factory=dict, repr=False)
    _unit_sentence_offsets: dict[int, list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        units = self.units
        if isinstance(units, LineUnits):
            self._unit_starts = units.offsets
        else:
            self._unit_starts = list(map(_OFFSET, units))

    @property
    def unit_starts(self) -> list[int]:
        """The offset of each unit, in order (do not change the list)."""
        return self._unit_starts

    @cached_property
    def unit_ends(self) -> list[int]:
        """The offset one past each unit's target, in order (do not change the list)."""
        units = self.units
        targets = units.targets if isinstance(units, LineUnits) else map(_TARGET, units)
        return list(map(add, self._unit_starts, map(len, targets)))

    @cached_property
    def units_apart(self) -> bool:
        """True when every unit ends before the next one starts (no overlap, no contact)."""
        return all(map(lt, self.unit_ends, self._unit_starts[1:]))

    @cached_property
    def bilingual(self) -> bool:
        """True when at least one unit has source text."""
        if isinstance(self.units, LineUnits):
            return False  # plain text has no source
        return any(u.source is not None for u in self.units)

    @cached_property
    def scan_text(self) -> str:
        """The document text with everything outside unit targets replaced by separators.

        It has the same length as :attr:`text`, so offsets found in it are file offsets, and
        no pattern can match across two units or into source text or markup.
        """
        if self.masked is not None:
            return self.masked
        parts: list[str] = []
        pos = 0
        for unit in self.units:
            if unit.offset < pos:
                continue
            parts.append(UNIT_SEPARATOR * (unit.offset - pos))
            target_in_file = self.text[unit.offset : unit.offset + len(unit.target)]
            # Formats whose targets are escaped in the file (XML) keep a masked copy.
            parts.append(
                target_in_file
                if target_in_file == unit.target
                else UNIT_SEPARATOR * len(unit.target)
            )
            pos = unit.offset + len(unit.target)
        parts.append(UNIT_SEPARATOR * (len(self.text) - pos))
        return "".join(parts)

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Every sentence of every unit's target, in document order."""
        out: list[Sentence] = []
        text = self.scan_text
        unit_ends = self.unit_ends
        index = 0
        # Units are separated by masked characters in scan_text, so one pass over the whole
        # text finds every sentence; each is then assigned to the unit that holds it.
        for start, end in sentence_spans(text):
            while index < len(unit_ends) - 1 and start >= unit_ends[index]:
                index += 1
            out.append(Sentence(text[start:end], start, index))
        # Rules that ask for one unit's sentences reuse this split instead of splitting again.
        by_unit: dict[int, list[Sentence]] = {i: [] for i in range(len(self.units))}
        for sentence in out:
            by_unit[sentence.unit].append(sentence)
        self._unit_sentences.update(by_unit)
        return out

    def sentence_count(self) -> int:
        """``len(self.sentences)``, without building the sentences when they are not yet."""
        if "sentences" in self.__dict__:
            return len(self.sentences)
        return len(sentence_spans(self.scan_text))

    def unit_sentences(self, index: int) -> list[Sentence]:
        """The sentences of one unit, split on first request (most units are never asked for)."""
        cached = self._unit_sentences.get(index)
        if cached is None:
            unit = self.units[index]
            text = self.scan_text
            cached = [
                Sentence(text[a:b], a, index)
                for a, b in sentence_spans(text, unit.offset, unit.offset + len(unit.target))
            ]
            self._unit_sentences[index] = cached
        return cached

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing ``offset``, if any."""
        index = self.unit_at(offset)
        if index is None:
            return None
        sentences = self.unit_sentences(index)
        i = bisect_right(self._sentence_offsets(index), offset) - 1
        if i >= 0 and offset < sentences[i].end:
            return sentences[i]
        return None

    def _sentence_offsets(self, index: int) -> list[int]:
        offsets = self._unit_sentence_offsets.get(index)
        if offsets is None:
            offsets = [s.offset for s in self.unit_sentences(index)]
            self._unit_sentence_offsets[index] = offsets
        return offsets

    def unit_at(self, offset: int) -> int | None:
        """Index of the unit whose target contains ``offset``."""
        i = bisect_right(self._unit_starts, offset) - 1
        if i >= 0 and offset <= self.units[i].offset + len(self.units[i].target):
            return i
        return None

    @cached_property
    def _line_starts(self) -> list[int]:
        # Each line starts one past the end of the one before: running sums, all in C.
        lengths = map(len, self.text.split("\n"))
        return [0, *accumulate(map((1).__add__, lengths))][:-1]

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count characters."""
        i = bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1
