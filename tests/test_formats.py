"""The plain-text reader's fast line path against the general construction."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from mtqa.document import Document, Unit
from mtqa.formats.plain import _read_lines, read_text

# The definition the fast path replaces: a unit is a line from its first to its last
# non-space character.
_LINE_BODY = re.compile(r"^[^\S\n]*+(\S(?:[^\n]*\S)?)", re.MULTILINE)

_PIECES = ["word", "Word", " ", "  ", "\t", "\r", "\n", "\n\n", "\u00a0", "\u3000", ".", "é", "中"]


def _reference_units(text: str) -> list[Unit]:
    return [
        Unit(m.group(1), m.start(1), str(text.count("\n", 0, m.start(1)) + 1))
        for m in _LINE_BODY.finditer(text)
    ]


def _samples() -> list[str]:
    rng = random.Random(7)
    texts = ["", "\n", "one line", "  lead\ntrail  \n\n\tboth\t\r\n", "a\r\nb\r\n", "\u00a0x\u00a0"]
    for _ in range(300):
        texts.append("".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40))))
    return texts


@pytest.mark.parametrize("text", _samples())
def test_line_reader_matches_general_construction(text: str) -> None:

    document = _read_lines("x.txt", text)
    assert document.units == _reference_units(text)
    general = Document("x.txt", text, list(document.units))
    assert document.scan_text == general.scan_text
    assert len(document.scan_text) == len(text)


def test_line_starts_locate_every_offset() -> None:
    text = "ab\n\ncd\r\nef\n"
    document = read_text("x.txt", text)
    for offset in range(len(text) + 1):
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        assert document.locate(offset) == (line, column)


# The definition of hard-wrapped text the line-based detector implements: counts of
# non-overlapping matches in the first 200,000 characters.
_RUN_ON = re.compile(r"[^\s.!?:;\"'”’)\]][ \t]*\r?\n[ \t]*[a-z]")
_LINE_BREAK = re.compile(r"\S[ \t]*\r?\n[ \t]*\S")


def _wrapped_by_definition(text: str) -> bool:
    sample = text[:200_000]
    breaks = len(_LINE_BREAK.findall(sample))
    return breaks >= 3 and len(_RUN_ON.findall(sample)) >= 0.2 * breaks


_WRAP_PIECES = ["a", "b", "Z", ".", ")", "’", " ", "\t", "\r", "\n", "\n", "\n", "\u00a0", "é"]


def _wrap_samples() -> list[str]:
    rng = random.Random(11)
    texts = [
        "one line\nper\nsegment\n",
        "x\ny\nz\nw\nv\n",  # single-character lines: breaks overlap
        "a\r\nb\r\nc\r\nd\r\n",
        "This line runs\non into the next\nand the next\nagain.\n",
    ]
    for _ in range(2000):
        texts.append("".join(rng.choice(_WRAP_PIECES) for _ in range(rng.randint(1, 60))))
    return texts


def test_hard_wrap_detector_matches_its_definition() -> None:
    from mtqa.formats.plain import is_hard_wrapped

    texts = _wrap_samples()
    root = Path(__file__).resolve().parent.parent
    for path in [*root.glob("samples/*.txt"), *root.glob("tests/data/heldout/*.txt")]:
        texts.append(path.read_text(encoding="utf-8"))
    texts.append((root / "README.md").read_text(encoding="utf-8"))
    wrapped = [t for t in texts if _wrapped_by_definition(t)]
    assert len(wrapped) > 50  # the random texts exercise both answers
    for text in texts:
        assert is_hard_wrapped(text) == _wrapped_by_definition(text), repr(text)


def test_line_units_behave_like_the_list_of_their_units() -> None:
    from mtqa.document import LineUnits

    text = "  alpha\n\nbeta  \n\tgamma\ndelta\n"
    document = _read_lines("x.txt", text)
    units = document.units
    assert isinstance(units, LineUnits)
    listed = _reference_units(text)
    assert units == listed and listed == list(units) and len(units) == 4
    for index in range(-4, 4):
        assert units[index] == listed[index]
    for part in (slice(1, 3), slice(None, None, 2), slice(3, 1), slice(-2, None), slice(9, 12)):
        assert units[part] == listed[part]
    with pytest.raises(IndexError):
        units[4]
    assert units.shifted(1, 3, -5) == [u._replace(offset=u.offset - 5) for u in listed[1:3]]
    assert document.unit_starts == [u.offset for u in listed]
    assert document.unit_ends == [u.offset + len(u.target) for u in listed]
    assert not document.bilingual and units != "not units"
    # Iterating makes the units once and keeps them.
    assert list(units) is not None and units[0] is units[0]
