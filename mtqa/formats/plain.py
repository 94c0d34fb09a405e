"""Plain text (a unit per line, or per paragraph when hard-wrapped) and Markdown (a unit per
paragraph, code skipped)."""

from __future__ import annotations

import re
from itertools import accumulate, compress, pairwise
from operator import add, sub

from mtqa.document import Document, LineUnits, Unit
from mtqa.text import UNIT_SEPARATOR

_PARAGRAPH = re.compile(r"\S(?:.*\S)?(?:[ \t]*\r?\n[ \t]*\S(?:.*\S)?)*")

#: What may end a line that runs on into the next: not whitespace, nor closing punctuation.
_NOT_RUN_ON = frozenset(".!?:;\"'”’)]")


def is_hard_wrapped(text: str) -> bool:
    """True for prose wrapped at a fixed width: many lines run on into the next.

    MT output and segment lists put one segment per line, and a line seldom continues into
    the next; wrapped prose breaks lines in mid-sentence all the time. Looks at the first
    200,000 characters: a *break* is a line ending in a non-space character followed by a
    line starting with one (spaces and tabs around the line end aside); it *runs on* when the
    first does not end a clause and the second starts in lowercase. The text is wrapped when
    at least 3 breaks are found and a fifth of them run on.
    """
    lines = text[:200_000].split("\n")
    breaks = run_ons = 0
    # The first character of a line consumed by the break before it cannot end another
    # (the definition counts breaks that do not overlap).
    consumed_breaks = consumed_run_ons = False
    for before, after in pairwise(lines):
        tail = before[:-1] if before.endswith("\r") else before
        tail = tail.rstrip(" \t")
        head = after.lstrip(" \t")
        last, first = tail[-1:], head[:1]
        alone = len(tail) - len(tail.lstrip(" \t")) == len(tail) - 1  # one non-blank char
        if not last or last.isspace() or not first or first.isspace():
            consumed_breaks = consumed_run_ons = False
            continue
        if not (consumed_breaks and alone):
            breaks += 1
            consumed_breaks = True
        else:
            consumed_breaks = False
        if last not in _NOT_RUN_ON and "a" <= first <= "z" and not (consumed_run_ons and alone):
            run_ons += 1
            consumed_run_ons = True
        else:
            consumed_run_ons = False
    return breaks >= 3 and run_ons >= 0.2 * breaks


def read_text(path: str, text: str) -> Document:
    """Plain text: every non-blank line is a unit, as MT output usually comes one per line.

    Hard-wrapped prose (see :func:`is_hard_wrapped`) is read a paragraph per unit instead, so
    that a sentence, a quotation or a bracket may run over several lines.
    """
    if is_hard_wrapped(text):
        units = [
            Unit(m.group(), m.start(), str(text.count("\n", 0, m.start()) + 1))
            for m in _PARAGRAPH.finditer(text)
        ]
        return Document(path, text, units, format="txt")
    return _read_lines(path, text)


def _read_lines(path: str, text: str) -> Document:
    """A unit per non-blank line (stripped), and the masked scan text built on the way.

    This reads 45,000-line MT files, so every step is a C-level ``map`` over the lines rather
    than a Python step per line; ``tests/test_formats.py`` checks it against the general
    construction.
    """
    lines = text.split("\n")
    lengths = list(map(len, lines))
    bodies = list(map(str.strip, lines))
    # Offset of each line's first non-space character: line start + leading whitespace.
    line_starts = accumulate(map((1).__add__, lengths), initial=0)
    kept = list(map(len, map(str.lstrip, lines)))
    offsets = map(sub, map(add, line_starts, lengths), kept)
    # The units are made when asked for (LineUnits): a big input's are made piece by piece,
    # by the processes that check them.
    units = LineUnits(
        list(compress(bodies, bodies)),
        list(compress(offsets, bodies)),
        list(compress(range(1, len(lines) + 1), bodies)),
    )
    if sum(map(len, bodies)) == len(text) - len(lines) + 1:
        masked = text.replace("\n", UNIT_SEPARATOR)  # no line has spaces around it
    else:
        masked = UNIT_SEPARATOR.join(map(_mask_line, lines, bodies, kept))
    return Document(path, text, units, format="txt", masked=masked)


def _mask_line(line: str, body: str, kept: int) -> str:
    """The line with the whitespace around its body masked."""
    if len(body) == len(line):
        return line
    lead = len(line) - kept
    return f"{UNIT_SEPARATOR * lead}{body}{UNIT_SEPARATOR * (kept - len(body))}"


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BLOCK_SKIP = re.compile(
    r"^ {0,3}(?:<!--|<[a-zA-Z/]|\|.*\||[-*_](?:\s*[-*_]){2,}\s*$)|^(?: {4}|\t)"
)
_PREFIX = re.compile(r"^ {0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)")


def read_markdown(path: str, text: str) -> Document:
    """Markdown: paragraphs, headings and list items are units; code and HTML are skipped."""
    units: list[Unit] = []
    lines = text.split("\n")
    offsets: list[int] = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1

    in_fence: str | None = None
    in_front_matter = bool(lines) and lines[0].strip() == "---"
    block: list[tuple[int, str]] = []  # (offset, content) of lines in the current paragraph

    def flush() -> None:
        if block:
            start = block[0][0]
            end = block[-1][0] + len(block[-1][1])
            units.append(Unit(text[start:end], start, str(len(units) + 1)))
            block.clear()

    for index, raw in enumerate(lines):
        line = raw.rstrip("\r")
        if in_front_matter:
            if index > 0 and line.strip() in ("---", "..."):
                in_front_matter = False
            continue
        fence = _FENCE.match(line)
        if in_fence is not None:
            if fence and fence.group(1)[0] == in_fence:
                in_fence = None
            continue
        if fence:
            flush()
            in_fence = fence.group(1)[0]
            continue
        if not line.strip():
            flush()
            continue
        skip_block = _BLOCK_SKIP.match(line)
        # An indented line inside a paragraph or list item continues it; only after a blank
        # line (or at the start) does indentation make a code block.
        if skip_block and not (block and line[:1] in " \t" and line.strip()[:1] not in "<|"):
            flush()
            continue
        prefix = _PREFIX.match(line)
        skip = prefix.end() if prefix else len(line) - len(line.lstrip())
        content = line[skip:].rstrip()
        if prefix and (line.lstrip().startswith("#") or _is_list_item(prefix.group())):
            flush()  # headings and list items are units of their own
        if content:
            block.append((offsets[index] + skip, content))
        if prefix and line.lstrip().startswith("#"):
            flush()
    flush()
    return Document(path, text, units, format="md")


def _is_list_item(prefix: str) -> bool:
    stripped = prefix.strip()
    return stripped[:1] in "-*+" or stripped[:-1].isdigit()
