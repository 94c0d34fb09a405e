"""Running the rule packs over big inputs in several processes.

Nearly every rule looks at one unit (a line, a paragraph, a segment) at a time, with a little
context around a match. Such a rule finds the same problems in a piece of a document as in
the whole, as long as the piece keeps some context on each side. So a big input is cut at
unit boundaries into one share per worker; each worker is a forked copy of this process (it
shares the loaded rules and the text without copying them), runs those rules over its
pieces and sends its findings back through a pipe. Rules that need the whole document at
once (capitalisation consistency across paragraphs) declare ``scope = "document"`` and run
in the parent meanwhile.

The findings are the same as in one process: each piece reports only findings that start in
the units it owns, with the offsets of the whole document. A worker that fails is not
trusted: the parent runs its share itself.
"""

from __future__ import annotations

import os
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, repeat
from operator import add, attrgetter

from mtqa.document import Document, Unit
from mtqa.model import Edit, Finding

#: Characters of whole units kept as context on each side of a piece. Rule conditions look
#: at most a few hundred characters around a match.
CONTEXT = 2000
#: Inputs smaller than this (in characters) are checked in one process: forking and sending
#: findings back costs more than it saves.
MIN_CHARS = 300_000


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
    """How many worker processes to use: 0 means check in this process.

    ``jobs`` is the configured number (0 = one per available CPU). Forking needs a platform
    where it is safe (Linux and the BSDs) and no other thread running in this process.
    """
    wanted = jobs or available_cpus()
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


def plan(documents: Sequence[Document], workers: int) -> list[list[Piece]]:
    """Cut the documents at unit boundaries into ``workers`` shares of about equal size."""
    sizes = [list(map(len, map(attrgetter("target"), d.units))) for d in documents]
    total = sum(map(sum, sizes))
    shares: list[list[Piece]] = [[] for _ in range(workers)]
    share, done = 0, 0
    for index, lengths in enumerate(sizes):
        # Characters checked before the end of each unit, counting earlier documents.
        ends = list(accumulate(lengths, initial=done))[1:]
        first = 0
        while share < workers - 1:
            # The first unit that brings this share to its quota ends it.
            position = bisect_left(ends, total * (share + 1) / workers, first)
            if position >= len(ends):
                break
            shares[share].append(Piece(index, first, position + 1))
            first = position + 1
            share += 1
        if first < len(lengths):
            shares[share].append(Piece(index, first, len(lengths)))
        done = ends[-1] if ends else done
    return [s for s in shares if s]


def piece_document(document: Document, piece: Piece) -> tuple[Document, int, int, int]:
    """The piece as a document of its own, with context units on both sides.

    Returns the document, the offset of its text in the whole one, and the range of offsets
    (in the piece) that the piece owns.
    """
    units = document.units
    own_start = units[piece.first].offset if piece.first > 0 else 0
    own_end = units[piece.stop].offset if piece.stop < len(units) else len(document.text) + 1
    low = piece.first
    while low > 0 and own_start - units[low - 1].offset < CONTEXT:
        low -= 1
    high = piece.stop
    while high < len(units) and units[high].offset - own_end < CONTEXT:
        high += 1
    # From the end of the unit before the first one kept (so the separator and any source
    # text in front of it are there, as in the whole document) to the start of the next.
    base = units[low - 1].offset + len(units[low - 1].target) if low > 0 else 0
    stop = units[high].offset if high < len(units) else len(document.text)
    sub = Document(
        document.path,
        document.text[base:stop],
        _shift_units(units[low:high], -base),
        format=document.format,
        source_language=document.source_language,
        target_language=document.target_language,
        masked=document.scan_text[base:stop],
    )
    return sub, base, own_start - base, own_end - base


def _shift_units(units: list[Unit], by: int) -> list[Unit]:
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
        fix = replace(fix, edits=edits)
    return finding.evolve(offset=finding.offset + by, fix=fix)


#: Runs the unit-scope rules over one document and yields their findings.
Scan = Callable[[Document], Iterator[Finding]]


def check_piece(document: Document, piece: Piece, scan: Scan) -> list[Finding]:
    """Findings of ``scan`` that start in the units ``piece`` owns, in whole-document offsets."""
    sub, base, own_start, own_end = piece_document(document, piece)
    return [shift(f, base) for f in scan(sub) if own_start <= f.offset < own_end]


def run(
    documents: Sequence[Document],
    shares: list[list[Piece]],
    scan: Scan,
    meanwhile: Callable[[], list[Finding]],
) -> list[Finding]:
    """Scan every share in a forked worker while ``meanwhile`` runs here; all findings.

    A worker that cannot be started, dies, or sends something unreadable has its share
    checked here instead, so the result never depends on the workers' fate.
    """
    import pickle

    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # a child must not write the parent's buffered output again
    started: list[tuple[int, int, list[Piece]]] = []
    leftover: list[Piece] = []
    for share in shares:
        try:
            reader, writer = os.pipe()
            pid = os.fork()
        except OSError:
            leftover.extend(share)
            continue
        if pid == 0:  # pragma: no cover - runs in the child (coverage does not follow it)
            os.close(reader)
            _child(documents, share, scan, writer)
        os.close(writer)
        started.append((pid, reader, share))
    findings: list[Finding] = []
    try:
        findings.extend(meanwhile())
        for piece in leftover:
            findings.extend(check_piece(documents[piece.document], piece, scan))
    finally:
        results = [(share, _collect(pid, reader)) for pid, reader, share in started]
    for share, data in results:
        try:
            found = pickle.loads(data) if data else None
        except Exception:
            found = None
        if not isinstance(found, list):
            for piece in share:
                findings.extend(check_piece(documents[piece.document], piece, scan))
            continue
        findings.extend(found)
    return findings


def _child(
    documents: Sequence[Document], share: list[Piece], scan: Scan, writer: int
) -> None:  # pragma: no cover - runs in the forked child
    """Check the share, send the pickled findings, and leave without any clean-up."""
    import gc
    import pickle

    status = 1
    try:
        gc.disable()  # short-lived: collecting would only copy the parent's pages
        found: list[Finding] = []
        for piece in share:
            found.extend(check_piece(documents[piece.document], piece, scan))
        data = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
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
