"""Term glossaries: the model, TBX and CSV/TSV files, the compiled matcher, maintenance.

``read_glossary(path)`` and ``write_glossary(glossary, path)`` choose the format by extension.
"""

from __future__ import annotations

from pathlib import Path

from mtqa.errors import InputError
from mtqa.glossary.model import Entry, Glossary, Problem, Term

#: Extensions mtqa reads and writes as glossaries.
GLOSSARY_EXTENSIONS = (".tbx", ".csv", ".tsv")


def format_of(path: str | Path) -> str:
    """ "tbx", "csv" or "tsv" from the file name; an error for anything else."""
    ext = Path(path).suffix.lower()
    if ext not in GLOSSARY_EXTENSIONS:
        raise InputError(
            f"{path}: unsupported glossary type {ext or '(none)'!r} (use .tbx, .csv or .tsv)"
        )
    return ext[1:]


def read_bytes(path: str | Path) -> bytes:
    """A glossary file's bytes, with one-line errors."""
    from mtqa.fileio import read_bytes as read_file

    return read_file(path, "glossary file")


def decode_text(path: str | Path, data: bytes) -> str:
    """Decode a CSV/TSV glossary (UTF-8, with or without BOM, or UTF-16/32 with BOM)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        from mtqa.formats import decode

        return decode(data, str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{path}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x})") from None


def parse_glossary(path: str | Path, data: bytes) -> Glossary:
    """Parse glossary bytes read from ``path``."""
    kind = format_of(path)
    if kind == "tbx":
        from mtqa.glossary.tbx import read_tbx

        return read_tbx(str(path), data)
    from mtqa.glossary.tabular import read_table

    return read_table(str(path), decode_text(path, data), "\t" if kind == "tsv" else ",")


def read_glossary(path: str | Path) -> Glossary:
    """Read a .tbx, .csv or .tsv glossary."""
    format_of(path)
    return parse_glossary(path, read_bytes(path))


def serialize(glossary: Glossary, path: str | Path, tbx_version: int | None = None) -> bytes:
    """A glossary in the format ``path``'s extension names."""
    kind = format_of(path)
    if kind == "tbx":
        from mtqa.glossary.tbx import write_tbx

        return write_tbx(glossary, tbx_version or glossary.tbx_version)
    from mtqa.glossary.tabular import write_table

    return write_table(glossary, "\t" if kind == "tsv" else ",").encode("utf-8")


def write_glossary(glossary: Glossary, path: str | Path, tbx_version: int | None = None) -> None:
    """Write a glossary atomically, in the format of ``path``'s extension."""
    from mtqa.fileio import atomic_write

    atomic_write(path, serialize(glossary, path, tbx_version))


__all__ = [
    "GLOSSARY_EXTENSIONS",
    "Entry",
    "Glossary",
    "Problem",
    "Term",
    "format_of",
    "read_glossary",
    "write_glossary",
]
