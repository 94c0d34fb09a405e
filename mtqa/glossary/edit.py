"""``glossary add``: append one entry to a glossary file, atomically, refusing duplicates.

The file is not re-serialised: the new rows (CSV/TSV) or the new ``termEntry``/
``conceptEntry`` (TBX) are inserted into the existing text, so the rest stays byte for byte.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from mtqa.errors import InputError, UsageError
from mtqa.fileio import atomic_write
from mtqa.glossary import decode_text, format_of, parse_glossary, read_bytes
from mtqa.glossary.lint import word_key
from mtqa.glossary.model import Entry, Glossary, Term


def _same(a: str, b: str) -> bool:
    return (word_key(a) if a.isascii() else " ".join(a.lower().split())) == (
        word_key(b) if b.isascii() else " ".join(b.lower().split())
    )


def _refuse_duplicates(glossary: Glossary, source: str, target: str, status: str) -> None:
    for entry in glossary.entries:
        sources = entry.in_lang(glossary.source_lang) if glossary.source_lang else []
        same_source = bool(source) and any(_same(t.text, source) for t in sources)
        if source and not same_source:
            continue
        for term in entry.in_lang(glossary.target_lang):
            if _same(term.text, target):
                raise UsageError(
                    f"{glossary.path}:{term.line}: already has {target!r} "
                    f"({term.effective_status}); not added"
                )
        best = entry.preferred(glossary.target_lang)
        if (
            same_source
            and status == "preferred"
            and best is not None
            and best.status == "preferred"
        ):
            raise UsageError(
                f"{glossary.path}:{best.line}: {source!r} already has the preferred term "
                f"{best.stripped!r}; add yours with --status admitted, or edit the entry"
            )


def add_entry(
    path: str,
    *,
    source: str,
    target: str,
    status: str = "preferred",
    forbidden: Sequence[str] = (),
    case_sensitive: bool | None = None,
    note: str = "",
    pos: str = "",
    domain: str = "",
    entry_id: str = "",
) -> int:
    """Append an entry; returns the line where it starts."""
    if not target.strip():
        raise UsageError("the target term is empty")
    kind = format_of(path)
    data = read_bytes(path)
    glossary = parse_glossary(path, data)
    source, target = source.strip(), target.strip()
    _refuse_duplicates(glossary, source, target, status)
    for variant in forbidden:
        _refuse_duplicates(glossary, source, variant.strip(), "forbidden")
    src_lang = glossary.source_lang or "und"
    entry = Entry(id=entry_id or None, subject=domain or None)
    if source:
        entry.terms.append(Term(source, src_lang, pos=pos or None))
    entry.terms.append(
        Term(
            target,
            glossary.target_lang,
            status=status,
            pos=pos or None,
            case_sensitive=case_sensitive,
            note=note or None,
        )
    )
    for variant in forbidden:
        entry.terms.append(
            Term(
                variant.strip(),
                glossary.target_lang,
                status="forbidden",
                case_sensitive=case_sensitive,
            )
        )
    if kind == "tbx":
        new_text, line = _append_tbx(path, data, entry, glossary.tbx_version)
        new_bytes = new_text.encode("utf-8")
    else:
        new_text, line = _append_table(
            path, decode_text(path, data), entry, glossary, "\t" if kind == "tsv" else ","
        )
        new_bytes = ("\ufeff" + new_text if data.startswith(b"\xef\xbb\xbf") else new_text).encode(
            "utf-8"
        )
    parse_glossary(path, new_bytes)  # never write a file mtqa itself cannot read back
    atomic_write(path, new_bytes)
    return line


def _append_table(
    path: str, text: str, entry: Entry, glossary: Glossary, delimiter: str
) -> tuple[str, int]:
    from mtqa.glossary.tabular import rows_for_append

    body = text[1:] if text.startswith("\ufeff") else text
    header: list[str] | None = None
    for row in csv.reader(io.StringIO(body, newline=""), delimiter=delimiter):
        if row and any(c.strip() for c in row) and not row[0].lstrip().startswith("#"):
            header = row
            break
    if header is None:
        raise InputError(f"{path}: no header row")
    rows = rows_for_append(entry, glossary, header, delimiter)
    if body and not body.endswith("\n"):
        body += "\n"
    line = body.count("\n") + 1
    return body + rows, line


def _append_tbx(path: str, data: bytes, entry: Entry, version: int) -> tuple[str, int]:
    from mtqa.glossary.tbx import entry_snippet

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: cannot append to a UTF-16 TBX file; convert it to UTF-8")
    text = data.decode("utf-8-sig")
    end = text.rfind("</body>")
    if end == -1:
        raise InputError(f"{path}: no </body> to append to")
    line_start = text.rfind("\n", 0, end) + 1
    indent = text[line_start:end] if not text[line_start:end].strip() else ""
    insert_at = line_start if indent or line_start == end else end
    snippet = entry_snippet(entry, version, indent + "  ") + "\n"
    if insert_at == end and not indent:
        snippet = "\n" + snippet
    line = text.count("\n", 0, insert_at) + 1
    return text[:insert_at] + snippet + text[insert_at:], line
