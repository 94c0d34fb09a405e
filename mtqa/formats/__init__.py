"""Reading input files into :class:`~mtqa.document.Document` objects, one module per format."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from mtqa.document import Document
from mtqa.errors import InputError

Reader = Callable[[str, str], Document]

#: Extension -> "module:function". Imported on first use so start-up stays fast.
READERS: dict[str, str] = {
    ".txt": "mtqa.formats.plain:read_text",
    ".text": "mtqa.formats.plain:read_text",
    ".md": "mtqa.formats.plain:read_markdown",
    ".markdown": "mtqa.formats.plain:read_markdown",
    ".tsv": "mtqa.formats.tsv:read_tsv",
}

_SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".mtqa-cache", "__pycache__", ".venv"}
)


def reader_for(path: str, default: str = ".txt") -> Reader:
    """The reader function for a path's extension (standard input reads as ``default``)."""
    import importlib

    ext = Path(path).suffix.lower() if path != "-" else default
    target = READERS.get(ext)
    if target is None:
        raise InputError(f"{path}: unsupported file type {ext or '(none)'!r}")
    module_name, func = target.split(":")
    reader: Reader = getattr(importlib.import_module(module_name), func)
    return reader


def decode(data: bytes, path: str) -> str:
    """Decode file bytes: UTF-8 (with or without BOM), UTF-16/32 with BOM; else an error."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path}: invalid {encoding.upper()} at byte {exc.start}"
                ) from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8 first"
        ) from None


def read_document(path: str, data: bytes | None = None, stdin_format: str = ".txt") -> Document:
    """Read one file (or ``-`` for standard input, given as ``data``) into a document."""
    reader = reader_for(path, stdin_format)
    if data is None:
        from mtqa.fileio import read_bytes

        data = read_bytes(path)
    text = decode(data, path)
    if not text or text.isspace():  # (stops at the first visible character)
        raise InputError(f"{path}: empty file")
    document = reader(path, text)
    if not document.units:
        raise InputError(f"{path}: no text to check")
    return document


def expand_paths(paths: list[str]) -> Iterator[tuple[str, InputError | None]]:
    """Files to check: files as given, folders walked for known extensions, in sorted order.

    Yields (path, error) where error is set for a path that cannot be checked.
    """
    for path in paths:
        if path == "-":
            yield path, None
            continue
        p = Path(path)
        if p.is_dir():
            found = False
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if Path(name).suffix.lower() in READERS and not name.startswith("."):
                        found = True
                        yield os.path.join(root, name), None
            if not found:
                yield path, InputError(f"{path}: folder has no files mtqa can check")
        elif not p.exists():
            yield path, InputError(f"{path}: no such file or folder")
        else:
            yield path, None
