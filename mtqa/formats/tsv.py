"""Bilingual tab-separated text: ``source<TAB>target`` on each line."""

from __future__ import annotations

from mtqa.document import Document, Unit
from mtqa.errors import InputError


def read_tsv(path: str, text: str) -> Document:
    """Each non-blank line is a unit; its id is the line number."""
    units: list[Unit] = []
    pos = 0
    for number, line in enumerate(text.split("\n"), start=1):
        body = line.rstrip("\r")
        if body.strip():
            if "\t" not in body:
                raise InputError(f"{path}:{number}: expected source<TAB>target, found no tab")
            source, target = body.split("\t", 1)
            if "\t" in target:
                raise InputError(f"{path}:{number}: expected two columns, found more")
            lead = len(target) - len(target.lstrip())
            units.append(
                Unit(target.strip(), pos + len(source) + 1 + lead, str(number), source.strip(), pos)
            )
        pos += len(line) + 1
    return Document(path, text, units, format="tsv")
