"""Running the rule packs over big inputs in several processes.

Nearly every rule looks at one unit (a line, a paragraph, a segment) at a time, with a little
context around a match. Such a rule finds the same problems in a piece of a document as in
the whole, as long as the piece keeps some context on each side. So a big input is cut at
unit boundaries into pieces, a few per process. Rules that need the whole document at once
(capitalisation consistency across paragraphs) declare ``scope = "document"``; each of them
over each document is a task of its own, and so is each piece. The tasks wait in a queue;
this process and forked workers (which share the loaded rules and the text without copying
them) take the next task when free, and the workers send their findings back through pipes.

The findings are the same as in one process: a piece reports only findings that start in
the units it owns, with the offsets of the whole document. A worker that fails is not
trusted: its tasks are run again here.
"""

from __future__ import annotations

import os
import struct
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import add
from typing import Any

from mtqa.document import Document, LineUnits, Unit
from mtqa.model import Edit, Finding, Fix

#: Characters of whole units kept as context on each side of a piece. Rule conditions look
#: at most a few hundred characters around a match.
CONTEXT = 2000
#: Inputs smaller than this (in characters) are checked in one process: forking and sending
#: findings back costs more than it saves.
MIN_CHARS = 300_000
#: Pieces per process, at least MIN_PIECE characters each.
PIECES_PER_WORKER = 4
MIN_PIECE = 100_000
#: Tasks the queue holds: its pipe takes 4 bytes a task and holds at least 4 KiB.
MAX_TASKS = 1024
#: Processes at most, whatever the machine or ``jobs`` says: each is a copy of a big process.
MAX_PROCESSES = 64


@dataclass(frozen=True)
class Piece:
    """Units ``first`` to ``stop - 1`` of document number ``document``."""

    document: int
    first: int
    stop: int


def available_cpus() -> int:
    """How many CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def workers_for(documents: Sequence[Document], jobs: int) -> int:
    """How many processes to check in (this one and forked workers): 0 means only this one,
    without the machinery.

    ``jobs`` is the configured number (0 = one per available CPU). Forking needs a platform
    where it is safe (Linux and the BSDs) and no other thread running in this process.
    """
    wanted = min(jobs or available_cpus(), MAX_PROCESSES)
    if wanted < 2 or not hasattr(os, "fork"):
        return 0
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return 0
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return 0
    if sum(len(d.text) for d in documents) < MIN_CHARS:
        return 0
    return wanted


def plan(documents: Sequence[Document], count: int) -> list[Piece]:
    """Cut the documents at unit boundaries into about ``count`` pieces of about equal size.

    Sizes are measured by offsets in the texts, so no unit needs to be looked at: a piece
    ends before the first unit that starts at or beyond its share of all the characters.
    """
    total = sum(len(d.text) for d in documents)
    pieces: list[Piece] = []
    cut, done = 1, 0
    for index, document in enumerate(documents):
        starts = document.unit_starts
        first = 0
        while cut < count:
            position = bisect_left(starts, total * cut / count - done, first + 1)
            if position >= len(starts):
                break
            pieces.append(Piece(index, first, position))
            first = position
            cut += 1
        if first < len(starts):
            pieces.append(Piece(index, first, len(starts)))
        done += len(document.text)
    return pieces


def pieces_for(documents: Sequence[Document], processes: int) -> list[Piece]:
    """The pieces to share out: several per process, so that one that runs into slow text
    (or into a whole-document rule) takes fewer."""
    total = sum(len(d.text) for d in documents)
    count = max(processes, min(processes * PIECES_PER_WORKER, total // MIN_PIECE))
    return plan(documents, count)


def batches(sizes: Sequence[int], count: int) -> list[range]:
    """Consecutive index ranges over ``sizes``, at most ``count``, of about equal total size.

    Many small files give many pieces and many whole-document tasks; batching keeps the
    queue to a few tasks per process (and within what the queue's pipe holds).
    """
    total = sum(sizes)
    out: list[range] = []
    start, done = 0, 0
    for index, size in enumerate(sizes):
        done += size
        if len(out) < count - 1 and done >= total * (len(out) + 1) / count:
            out.append(range(start, index + 1))
            start = index + 1
    if start < len(sizes):
        out.append(range(start, len(sizes)))
    return out


def piece_size(document: Document, piece: Piece) -> int:
    """Characters from the first unit of the piece to the end of its last."""
    first, last = document.units[piece.first], document.units[piece.stop - 1]
    return last.offset + len(last.target) - first.offset


def piece_document(document: Document, piece: Piece) -> tuple[Document, int, int, int]:
    """The piece as a document of its own, with context units on both sides.

    Returns the document, the offset of its text in the whole one, and the range of offsets
    (in the piece) that the piece owns.
    """
    units, starts, ends = document.units, document.unit_starts, document.unit_ends
    own_start = starts[piece.first] if piece.first > 0 else 0
    own_end = starts[piece.stop] if piece.stop < len(units) else len(document.text) + 1
    low = piece.first
    while low > 0 and own_start - starts[low - 1] < CONTEXT:
        low -= 1
    high = piece.stop
    while high < len(units) and starts[high] - own_end < CONTEXT:
        high += 1
    # From the end of the unit before the first one kept (so the separator and any source
    # text in front of it are there, as in the whole document) to the start of the next.
    base = ends[low - 1] if low > 0 else 0
    stop = starts[high] if high < len(units) else len(document.text)
    if isinstance(units, LineUnits):
        kept = units.shifted(low, high, -base)  # made here, already moved
    else:
        kept = _shift_units(units[low:high], -base)
    sub = Document(
        document.path,
        document.text[base:stop],
        kept,
        format=document.format,
        source_language=document.source_language,
        target_language=document.target_language,
        masked=document.scan_text[base:stop],
    )
    return sub, base, own_start - base, own_end - base


def _shift_units(units: Sequence[Unit], by: int) -> list[Unit]:
    """The units with their offsets moved by ``by``: column-wise, without a Python step per
    unit (a piece of a 45,000-line file has tens of thousands)."""
    if not units:
        return []
    targets, offsets, ids, sources, source_offsets = zip(*units, strict=True)
    moved = map(add, offsets, repeat(by))
    if source_offsets.count(None) == len(source_offsets):
        moved_sources: Iterable[int | None] = source_offsets
    else:
        moved_sources = [o + by if o is not None else None for o in source_offsets]
    rows = zip(targets, moved, ids, sources, moved_sources, strict=True)
    return list(map(tuple.__new__, repeat(Unit), rows))


def shift(finding: Finding, by: int) -> Finding:
    """The finding with its offsets (and its fix's) moved by ``by`` characters."""
    fix = finding.fix
    if fix is not None:
        edits = tuple(Edit(e.offset + by, e.length, e.replacement) for e in fix.edits)
        fix = Fix(edits, fix.applicability, fix.description)
    return finding.evolve(offset=finding.offset + by, fix=fix)


#: Runs the unit-scope rules over one document and yields their findings.
Scan = Callable[[Document], Iterator[Finding]]


def check_piece(document: Document, piece: Piece, scan: Scan) -> list[Finding]:
    """Findings of ``scan`` that start in the units ``piece`` owns, in whole-document offsets."""
    sub, base, own_start, own_end = piece_document(document, piece)
    return [shift(f, base) for f in scan(sub) if own_start <= f.offset < own_end]


def check_pieces(
    documents: Sequence[Document], pieces: Sequence[Piece], scan: Scan
) -> list[Finding]:
    """:func:`check_piece` for several pieces (one task)."""
    return [f for p in pieces for f in check_piece(documents[p.document], p, scan)]


#: One unit of work: a piece of a document, or one whole-document rule over one document;
#: its results (findings, or other picklable records).
Task = Callable[[], list[Any]]


def _nothing() -> None:
    pass


def run(tasks: Sequence[Task], processes: int, then: Callable[[], None] = _nothing) -> list[Any]:
    """Run the tasks in ``processes`` processes (this one and forked workers); all results.

    The task numbers wait in a pipe, longest tasks first; each process takes the next one
    when it is free. While the workers finish, this process runs ``then``. A worker sends
    back the numbers of the tasks it ran with their findings; any task not accounted for (a
    worker that could not start, died, or sent something unreadable) is run here, so the
    result never depends on the workers' fate.
    """
    import pickle

    if len(tasks) > MAX_TASKS:
        raise ValueError(f"at most {MAX_TASKS} tasks")
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # a child must not write the parent's buffered output again
    queue, feed = os.pipe()
    # Fits in the pipe's buffer at once (4 bytes a task), so writing never waits.
    os.write(feed, b"".join(_TOKEN.pack(n) for n in range(len(tasks))))
    os.close(feed)
    started: list[tuple[int, int]] = []
    done: set[int] = set()
    findings: list[Any] = []
    try:
        for _ in range(processes - 1):
            try:
                reader, writer = os.pipe()
                pid = os.fork()
            except OSError:
                break
            if pid == 0:  # pragma: no cover - runs in the child (coverage does not follow it)
                os.close(reader)
                _child(tasks, queue, writer)
            os.close(writer)
            started.append((pid, reader))
        for number in _take(queue):
            findings.extend(tasks[number]())
            done.add(number)
        then()
    finally:
        os.close(queue)
        results = [_collect(pid, reader) for pid, reader in started]
    for data in results:
        try:
            sent = pickle.loads(data) if data else None
        except Exception:
            sent = None
        if isinstance(sent, tuple) and len(sent) == 2:
            numbers, found = sent
            if isinstance(numbers, list) and isinstance(found, list):
                done.update(numbers)
                findings.extend(found)
    for number, task in enumerate(tasks):
        if number not in done:
            findings.extend(task())
    return findings


_TOKEN = struct.Struct("<I")


def _take(queue: int) -> Iterator[int]:
    """Piece numbers from the queue until it is empty (several processes read it at once;
    each read takes exactly one number, as they were all written before anyone read)."""
    while data := os.read(queue, _TOKEN.size):
        yield _TOKEN.unpack(data)[0]


def _child(tasks: Sequence[Task], queue: int, writer: int) -> None:  # pragma: no cover
    """Run tasks from the queue, send their numbers and findings, and leave without any
    clean-up (this runs in the forked child)."""
    import gc
    import pickle

    status = 1
    try:
        gc.disable()  # short-lived: collecting would only copy the parent's pages
        numbers: list[int] = []
        found: list[Finding] = []
        for number in _take(queue):
            found.extend(tasks[number]())
            numbers.append(number)
        data = pickle.dumps((numbers, found), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(writer, view) :]
        status = 0
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _collect(pid: int, reader: int) -> bytes:
    """Everything the worker wrote, once it has exited; empty when it failed."""
    chunks: list[bytes] = []
    try:
        while chunk := os.read(reader, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(reader)
        _, status = os.waitpid(pid, 0)
    return b"".join(chunks) if status == 0 else b""
