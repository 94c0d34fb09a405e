"""CSV and TSV glossaries with a header row.

Columns: ``source``, ``target``, ``status``, ``forbidden`` (variants separated by ``|``),
``case_sensitive`` (yes/no), ``note``; optional ``pos``, ``domain``, ``id``, ``dnt``,
``definition``, ``term_type``. A column may name its language: ``source:zh``, ``target:en-GB``.
Rows with the same ``id`` (or, without ids, the same source) are one entry. Unknown columns
are kept with the row's term. Lines starting with ``#`` before the header may carry
``# title: ...`` and ``# source: ...``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from mtqa.errors import InputError
from mtqa.glossary.model import Entry, Glossary, Problem, Term, is_canonical_label, parse_status

KNOWN = (
    "source",
    "target",
    "status",
    "forbidden",
    "case_sensitive",
    "note",
    "pos",
    "domain",
    "id",
    "dnt",
    "definition",
    "term_type",
)
_REQUIRED_OUT = ("source", "target", "status", "forbidden", "case_sensitive", "note")
_OPTIONAL_OUT = ("pos", "term_type", "domain", "definition", "dnt", "id")


def _yes(value: str) -> bool | None:
    v = value.strip().lower()
    if v in ("yes", "y", "true", "1", "x"):
        return True
    if v in ("no", "n", "false", "0"):
        return False
    return None


def _column(name: str) -> tuple[str, str | None]:
    base, _, lang = name.strip().partition(":")
    base = base.strip().lower().replace("-", "_").replace(" ", "_")
    return base, (lang.strip() or None)


def _rows(text: str, delimiter: str, path: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            f"{path}:{reader.line_num}: malformed {'TSV' if delimiter == chr(9) else 'CSV'}: {exc}"
        ) from None


def read_table(path: str, text: str, delimiter: str) -> Glossary:
    """Read a CSV (``,``) or TSV (tab) glossary."""
    glossary = Glossary(path=path, format="tsv" if delimiter == "\t" else "csv")
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = _rows(text, delimiter, path)
    header: list[tuple[str, str | None]] | None = None
    header_line = 0
    for line, row in rows:
        if not row or not any(cell.strip() for cell in row):
            continue
        first = row[0].lstrip()
        if first.startswith("#"):
            if header is None:
                _comment(delimiter.join(row).lstrip()[1:].strip(), glossary)
            continue
        header = [_column(c) for c in row]
        header_line = line
        break
    if header is None:
        raise InputError(f"{path}: empty glossary (no header row)")
    names = [name for name, _ in header]
    for name in set(names):
        if names.count(name) > 1:
            raise InputError(f"{path}:{header_line}: column {name!r} appears twice in the header")
    if "target" not in names and "source" not in names:
        raise InputError(
            f"{path}:{header_line}: the header needs a 'source' and a 'target' column "
            f"(found: {', '.join(repr(n) for n in names)})"
        )
    langs = dict(header)
    glossary.source_lang = langs.get("source") or "und"
    glossary.target_lang = langs.get("target") or "en"
    by_id: dict[str, Entry] = {}
    for line, row in rows:
        if not row or not any(cell.strip() for cell in row):
            continue
        if row[0].lstrip().startswith("#"):
            continue
        if len(row) > len(names):
            glossary.problems.append(
                Problem(line, "extra-cells", f"row has {len(row)} cells, the header {len(names)}")
            )
        cells = {name: (row[i] if i < len(row) else "") for i, name in enumerate(names)}
        _add_row(glossary, cells, line, by_id)
    return glossary


def _comment(text: str, glossary: Glossary) -> None:
    key, sep, value = text.partition(":")
    if not sep:
        return
    key = key.strip().lower()
    if key == "title":
        glossary.title = value.strip()
    elif key == "source":
        glossary.source_desc = (
            (glossary.source_desc + "\n") if glossary.source_desc else ""
        ) + value.strip()


def _add_row(glossary: Glossary, cells: dict[str, str], line: int, by_id: dict[str, Entry]) -> None:
    source = cells.get("source", "")
    target = cells.get("target", "")
    entry_id = cells.get("id", "").strip() or None
    # Rows with the same id are one entry; without an id, rows with the same source are.
    group = (
        f"id:{entry_id}" if entry_id else (f"source:{source.strip()}" if source.strip() else None)
    )
    entry = by_id.get(group) if group else None
    if entry is None:
        entry = Entry(id=entry_id, line=line)
        glossary.entries.append(entry)
        if group:
            by_id[group] = entry
    if not source.strip() and not target.strip():
        glossary.problems.append(Problem(line, "empty-term", "row has neither source nor target"))
        return
    domain = cells.get("domain", "").strip()
    if domain and not entry.subject:
        entry.subject = domain
    definition = cells.get("definition", "").strip()
    if definition and not entry.definition:
        entry.definition = definition
    dnt_cell = cells.get("dnt", "")
    if dnt_cell.strip():
        dnt = _yes(dnt_cell)
        if dnt is None:
            glossary.problems.append(
                Problem(line, "invalid-value", f"dnt must be yes or no, not {dnt_cell!r}")
            )
        entry.dnt = entry.dnt or bool(dnt)
    case_cell = cells.get("case_sensitive", "")
    case: bool | None = None
    if case_cell.strip():
        case = _yes(case_cell)
        if case is None:
            glossary.problems.append(
                Problem(
                    line, "invalid-value", f"case_sensitive must be yes or no, not {case_cell!r}"
                )
            )
    status, label = None, None
    status_cell = cells.get("status", "").strip()
    if status_cell:
        status = parse_status(status_cell)
        if status is None:
            glossary.problems.append(
                Problem(line, "unknown-status", f"unknown status {status_cell!r}")
            )
            label = status_cell
        elif not is_canonical_label(status_cell, status):
            label = status_cell
    pos = cells.get("pos", "").strip() or None
    term_type = cells.get("term_type", "").strip() or None
    note = cells.get("note", "").strip() or None
    extra = {k: v for k, v in cells.items() if k not in KNOWN and v.strip()}
    source_lang = glossary.source_lang or "und"
    if source.strip() and not any(t.text == source for t in entry.in_lang(source_lang)):
        source_term = Term(source, source_lang, pos=pos, line=line)
        if not target.strip():
            source_term.status, source_term.status_label = status, label
            source_term.note, source_term.extra = note, extra
        entry.terms.append(source_term)
    if target.strip():
        entry.terms.append(
            Term(
                target,
                glossary.target_lang,
                status=status,
                status_label=label,
                pos=pos,
                term_type=term_type,
                case_sensitive=case,
                note=note,
                extra=extra,
                line=line,
            )
        )
    for variant in cells.get("forbidden", "").split("|"):
        if variant.strip():
            entry.terms.append(
                Term(
                    variant.strip(),
                    glossary.target_lang,
                    status="forbidden",
                    case_sensitive=case,
                    line=line,
                )
            )


def _yn(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _is_plain_forbidden(term: Term, case: bool | None) -> bool:
    return (
        term.status == "forbidden"
        and not term.status_label
        and not term.pos
        and not term.note
        and not term.term_type
        and not term.extra
        and not term.definition
        and term.case_sensitive == case
        and "|" not in term.text
        and term.text == term.text.strip()
    )


def write_table(glossary: Glossary, delimiter: str) -> str:
    """Serialise a glossary as CSV or TSV (only its source and target languages)."""
    src, tgt = glossary.source_lang or "und", glossary.target_lang
    rows: list[dict[str, str]] = []
    needs_id = False
    for n, entry in enumerate(glossary.entries, 1):
        sources = (
            entry.in_lang(src)
            if src != "und" or not entry.in_lang(tgt)
            else [t for t in entry.terms if t.lang == "und"]
        )
        targets = entry.in_lang(tgt)
        first_target = next(
            (t for t in targets if t.status != "forbidden"), targets[0] if targets else None
        )
        case = first_target.case_sensitive if first_target else None
        plain_forbidden = [
            t for t in targets if t is not first_target and _is_plain_forbidden(t, case)
        ]
        own_rows = [t for t in targets if t is not first_target and t not in plain_forbidden]
        entry_rows: list[dict[str, str]] = []
        base = {
            "domain": entry.subject or "",
            "definition": entry.definition or "",
            "dnt": "yes" if entry.dnt else "",
            "id": entry.id or "",
        }
        source_text = sources[0].text if sources else ""
        for term in [first_target, *own_rows] if first_target else []:
            row = dict(
                base,
                source=source_text,
                target=term.text,
                status=term.status_label or term.status or "",
                case_sensitive=_yn(term.case_sensitive),
                note=term.note or "",
                pos=term.pos or (sources[0].pos if sources else None) or "",
                term_type=term.term_type or "",
                forbidden="",
            )
            row.update(term.extra)
            entry_rows.append(row)
        if entry_rows:
            entry_rows[0]["forbidden"] = "|".join(t.text for t in plain_forbidden)
            if entry.note and not entry_rows[0]["note"]:
                entry_rows[0]["note"] = entry.note
        for term in sources[1:] if entry_rows else sources:
            row = dict(
                base,
                source=term.text,
                target="",
                status=term.status_label or term.status or "",
                forbidden="",
                case_sensitive="",
                note=term.note or "",
                pos=term.pos or "",
                term_type=term.term_type or "",
            )
            row.update(term.extra)
            entry_rows.append(row)
        if len(entry_rows) > 1:
            needs_id = True
            if not entry.id:
                for row in entry_rows:
                    row["id"] = f"e{n}"
        rows.extend(entry_rows)
    extras = list(dict.fromkeys(k for row in rows for k in row if k not in KNOWN))
    columns = (
        list(_REQUIRED_OUT)
        + [c for c in _OPTIONAL_OUT if any(row.get(c) for row in rows) or (c == "id" and needs_id)]
        + extras
    )
    header = [
        f"source:{src}" if src != "und" else "source",
        f"target:{tgt}" if tgt != "en" else "target",
        *columns[2:],
    ]
    out = io.StringIO(newline="")
    if glossary.title or glossary.source_desc:
        if glossary.title:
            out.write(f"# title: {glossary.title}\n")
        for line in (glossary.source_desc or "").splitlines():
            out.write(f"# source: {line}\n")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def rows_for_append(entry: Entry, glossary: Glossary, header: list[str], delimiter: str) -> str:
    """CSV/TSV text of an entry's rows, in the column order of an existing file's header."""
    single = Glossary(glossary.path, [entry], glossary.source_lang, glossary.target_lang)
    text = write_table(single, delimiter)
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    lines = [r for r in lines if r and not r[0].startswith("#")]
    own = [_column(c)[0] for c in lines[0]]
    theirs = [_column(c)[0] for c in header]
    missing = [c for i, c in enumerate(own) if c not in theirs and any(r[i] for r in lines[1:])]
    if missing:
        raise InputError(
            f"{glossary.path}: the header has no {', '.join(repr(m) for m in missing)} column"
        )
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for row in lines[1:]:
        values = dict(zip(own, row, strict=False))
        writer.writerow([values.get(c, "") for c in theirs])
    return out.getvalue()
