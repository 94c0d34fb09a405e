"""Checking in worker processes gives exactly the findings of one process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mtqa.checks import parallel
from mtqa.config import Config
from mtqa.core import check_documents
from mtqa.document import Document
from mtqa.formats import read_document
from mtqa.formats.plain import read_text
from mtqa.model import Finding

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [
    ROOT / "samples" / "liaoning-symposium.txt",
    ROOT / "samples" / "clean-northeast-revival.txt",
    ROOT / "tests" / "data" / "heldout" / "good.txt",
    ROOT / "bench" / "data" / "heldout2-good.txt",
]


def _planted() -> Document:
    """The planted problems, a line each: many findings close to every piece boundary."""
    lines = (ROOT / "bench" / "data" / "heldout2-planted.tsv").read_text(encoding="utf-8")
    text = "\n".join(line.split("\t")[1] for line in lines.splitlines()[1:] if "\t" in line)
    return read_text("planted.txt", text + "\n")


def _bilingual() -> Document:
    """The planted problems as the targets of a TSV file (sources before them on each line)."""
    from mtqa.formats.tsv import read_tsv

    lines = (ROOT / "bench" / "data" / "heldout2-planted.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in lines.splitlines()[1:] if line.count("\t") >= 2]
    text = "".join(f"{note}\t{target}\n" for _, target, note in (r[:3] for r in rows))
    return read_tsv("planted.tsv", text)


def _documents() -> list[Document]:
    return [read_document(str(p)) for p in INPUTS] + [_planted(), _bilingual()]


def _check(documents: list[Document], jobs: int) -> list[Finding]:
    return check_documents(documents, Config(grammar="off", jobs=jobs)).findings


@pytest.fixture()
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work in parallel on small inputs, with little context: boundaries everywhere."""
    monkeypatch.setattr(parallel, "MIN_CHARS", 0)
    monkeypatch.setattr(parallel, "CONTEXT", 300)


@pytest.mark.parametrize("jobs", [2, 3, 7])
def test_workers_find_what_one_process_finds(small_pieces: None, jobs: int) -> None:
    serial = _check(_documents(), 1)
    assert len(serial) > 150  # the planted problems and the seed article
    assert parallel.workers_for(_documents(), jobs) == jobs
    assert _check(_documents(), jobs) == serial


def test_many_small_files_are_batched(small_pieces: None, monkeypatch: pytest.MonkeyPatch) -> None:
    planted = _planted()
    documents = [read_text(f"doc{n}.txt", u.target + "\n") for n, u in enumerate(planted.units)]
    assert len(documents) > 150
    counts: list[int] = []
    original = parallel.run

    def counted(tasks: list[parallel.Task], processes: int, then: object = None) -> list[Finding]:
        counts.append(len(tasks))
        return original(tasks, processes)

    monkeypatch.setattr(parallel, "run", counted)
    assert _check(documents, 3) == _check(documents, 1)
    assert counts and counts[0] <= 2 * 3 * 2 + 3 * parallel.PIECES_PER_WORKER
    assert [len(r) for r in parallel.batches([5, 1, 1, 1, 1, 1], 3)] == [1, 2, 3]
    assert parallel.batches([], 3) == []


def test_document_scope_rules_see_the_whole_document(small_pieces: None) -> None:
    # "Sinopec" twice at the top, "sinopec" at the bottom: only the whole document shows it.
    filler = "\n".join(f"Line {n} says nothing of note at all." for n in range(400))
    text = f"We met people from Sinopec today.\nThey said Sinopec is big.\n{filler}\n"
    text += "Later sinopec staff left.\n"
    document = read_text("names.txt", text)
    found = [f.rule for f in _check([document], 4)]
    assert found == [f.rule for f in _check([document], 1)]
    assert "CN002" in found


def test_plan_covers_every_unit_once() -> None:
    documents = _documents()
    for count in (2, 3, 5, 40):
        pieces = parallel.plan(documents, count)
        assert 1 < len(pieces) <= count + len(documents) - 1  # a document starts a piece
        seen = [
            (piece.document, unit) for piece in pieces for unit in range(piece.first, piece.stop)
        ]
        expected = [(d, u) for d, doc in enumerate(documents) for u in range(len(doc.units))]
        assert seen == expected


def test_piece_keeps_offsets_and_masking() -> None:
    document = _planted()
    middle = len(document.units) // 2
    piece = parallel.Piece(0, middle, middle + 10)
    sub, base, own_start, own_end = parallel.piece_document(document, piece)
    assert sub.scan_text == document.scan_text[base : base + len(sub.text)]
    for unit in sub.units:
        assert document.text[base + unit.offset :].startswith(unit.target)
    assert base + own_start == document.units[middle].offset
    assert base + own_end == document.units[middle + 10].offset
    bilingual = _bilingual()
    sub, base, _, _ = parallel.piece_document(bilingual, piece)
    assert sub.bilingual
    for unit in sub.units:
        assert unit.source is not None and unit.source_offset is not None
        assert bilingual.text[base + unit.source_offset :].startswith(unit.source)
        assert bilingual.text[base + unit.offset :].startswith(unit.target)


def test_processes_are_capped(small_pieces: None) -> None:
    assert parallel.workers_for(_documents(), 500) == parallel.MAX_PROCESSES


def test_small_input_stays_in_one_process() -> None:
    document = read_text("a.txt", "The the cat.\n")
    assert parallel.workers_for([document], 4) == 0
    assert parallel.workers_for([document], 1) == 0


def test_a_worker_that_dies_has_its_pieces_checked_here(
    small_pieces: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = _check(_documents(), 1)

    def take_two_and_die(tasks: object, queue: int, writer: int) -> None:
        taken = parallel._take(queue)
        next(taken), next(taken)
        os._exit(3)

    monkeypatch.setattr(parallel, "_child", take_two_and_die)
    assert _check(_documents(), 3) == serial


def test_a_worker_that_sends_garbage_is_not_trusted(
    small_pieces: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = _check(_documents(), 1)

    def garbage(tasks: object, queue: int, writer: int) -> None:
        next(parallel._take(queue))
        os.write(writer, b"\x80\x05not a pickle")
        os._exit(0)

    monkeypatch.setattr(parallel, "_child", garbage)
    assert _check(_documents(), 2) == serial


def test_tasks_are_shared_out_between_processes() -> None:
    import time

    here: list[int] = []  # tasks run in this process (the workers' lists are their own)

    def task(number: int, seconds: float) -> parallel.Task:
        def run() -> list[Finding]:
            here.append(number)
            time.sleep(seconds)
            return []

        return run

    # A long first task keeps this process busy: the worker runs all the short ones.
    tasks = [task(0, 1.0), *(task(n, 0.01) for n in range(1, 30))]
    assert parallel.run(tasks, 2) == []
    assert here == [0]
    # With even tasks, both processes take a share.
    here.clear()
    parallel.run([task(n, 0.02) for n in range(30)], 2)
    assert 0 < len(here) < 30


def test_every_task_runs_once_with_its_findings() -> None:
    finding = _check([read_text("a.txt", "The the cat.\n")], 1)[0]
    tasks = [(lambda n=n: [finding.evolve(offset=n)]) for n in range(50)]
    found = parallel.run(tasks, 3)
    assert sorted(f.offset for f in found) == list(range(50))


def test_jobs_is_validated(tmp_path: Path) -> None:
    from mtqa.config import load_file
    from mtqa.errors import ConfigError

    config = tmp_path / "mtqa.toml"
    config.write_text("jobs = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'jobs'"):
        load_file(config)
    config.write_text('jobs = "many"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'jobs' must be an integer"):
        load_file(config)
    config.write_text("jobs = 3\n", encoding="utf-8")
    assert load_file(config).jobs == 3


def test_readability_figures_computed_by_workers_equal_those_of_one_process(
    small_pieces: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = _documents()
    serial = check_documents(documents, Config(grammar="off", jobs=1), figures=True)
    assert serial.figures is None  # one process: computed when the report asks
    expected = serial.full_summary()["readability"]
    assert len(expected) == len(documents)
    shared = check_documents(_documents(), Config(grammar="off", jobs=3), figures=True)
    assert shared.figures is not None  # computed by the workers, alongside the checks
    assert shared.full_summary()["readability"] == expected
    # Not asked for, or no readability rule selected: nothing computed on the way.
    assert check_documents(_documents(), Config(grammar="off", jobs=3)).figures is None
    unread = check_documents(_documents(), Config(grammar="off", jobs=3, ignore=("RD",)), True)
    assert unread.figures is None and "readability" not in unread.full_summary()
    # A worker whose half of the figures goes missing: they are computed at the end instead.
    from mtqa.checks import rules

    monkeypatch.setattr(rules, "_figure_words", lambda documents, batch: [])
    partial = check_documents(_documents(), Config(grammar="off", jobs=3), figures=True)
    assert partial.figures is None and partial.full_summary()["readability"] == expected
