"""The plain-text reader's fast line path against the general construction."""

from __future__ import annotations

import random
import re

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
