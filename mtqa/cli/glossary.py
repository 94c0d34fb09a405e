"""``mtqa glossary``: lint, merge, convert, find, stats and add for term glossaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from mtqa.errors import InputError, UsageError


@click.group(name="glossary")
def command() -> None:
    """Validate, merge, convert and search term glossaries (.tbx, .csv, .tsv)."""


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------------------------------------


@command.command(name="lint")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def lint_command(files: tuple[str, ...], fmt: str) -> int:
    """Report duplicates, conflicts, broken entries and stray whitespace; exit 1 if any."""
    from mtqa.glossary import read_glossary
    from mtqa.glossary.lint import lint

    issues = []
    for path in files:
        issues.extend(lint(read_glossary(path)))
    if fmt == "json":
        _echo_json({"version": 1, "issues": [i.__dict__ for i in issues]})
    else:
        for issue in issues:
            click.echo(issue.render())
        if issues:
            click.echo(
                f"{len(issues)} problem(s) in {len({i.path for i in issues})} file(s)", err=True
            )
    return 1 if issues else 0


@command.command(name="convert")
@click.argument("source")
@click.argument("destination")
@click.option(
    "--tbx-version",
    type=click.Choice(["2", "3"]),
    help="TBX output: 2 (TBX-Basic, martif) or 3 (tbx, conceptEntry) [default: as read, else 2].",
)
def convert_command(source: str, destination: str, tbx_version: str | None) -> int:
    """Convert SOURCE to DESTINATION; the formats come from the extensions."""
    from mtqa.glossary import format_of, read_glossary, write_glossary
    from mtqa.glossary.model import primary

    format_of(destination)
    glossary = read_glossary(source)
    if format_of(destination) != "tbx":
        keep = {primary(glossary.source_lang or "und"), primary(glossary.target_lang)}
        dropped = sorted(
            {t.lang for e in glossary.entries for t in e.terms if primary(t.lang) not in keep}
        )
        if dropped and glossary.source_lang is not None:
            click.echo(
                f"mtqa: warning: CSV/TSV hold two languages; terms in {', '.join(dropped)} "
                "are not written",
                err=True,
            )
    write_glossary(glossary, destination, int(tbx_version) if tbx_version else None)
    click.echo(
        f"wrote {destination}: {len(glossary.entries)} entries, {glossary.term_count()} terms",
        err=True,
    )
    return 0


@command.command(name="merge")
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", required=True, metavar="FILE", help="Merged glossary to write.")
@click.option("--prefer", metavar="FILE", help="Settle conflicts in favour of this input file.")
@click.option("--tbx-version", type=click.Choice(["2", "3"]), help="TBX version of the output.")
def merge_command(
    files: tuple[str, ...], output: str, prefer: str | None, tbx_version: str | None
) -> int:
    """Merge FILES into one glossary; report conflicts (exit 1 and write nothing if unsettled)."""
    from mtqa.glossary import format_of, read_glossary, write_glossary
    from mtqa.glossary.merge import merge

    format_of(output)
    glossaries = [read_glossary(f) for f in files]
    preferred = None
    if prefer is not None:
        wanted = Path(prefer).resolve()
        matches = [g for f, g in zip(files, glossaries, strict=True) if Path(f).resolve() == wanted]
        if not matches:
            raise UsageError(f"--prefer {prefer}: not one of the files being merged")
        preferred = matches[0]
    merged, conflicts = merge(glossaries, preferred)
    for conflict in conflicts:
        click.echo(conflict.render())
    unresolved = [c for c in conflicts if c.resolution is None]
    if unresolved:
        click.echo(
            f"mtqa: {len(unresolved)} unresolved conflict(s); nothing written. "
            "Settle them with --prefer FILE.",
            err=True,
        )
        return 1
    write_glossary(merged, output, int(tbx_version) if tbx_version else None)
    click.echo(
        f"wrote {output}: {len(merged.entries)} entries from {len(files)} files, "
        f"{len(conflicts)} conflict(s) settled",
        err=True,
    )
    return 0


def _glossaries(given: tuple[str, ...], config_path: str | None) -> list[str]:
    if given:
        return list(given)
    from mtqa.config import load

    config = load(config_path, Path("."))
    if not config.glossaries:
        raise UsageError("no glossary given: use -g FILE or 'glossaries' in the configuration")
    return [str(p) for p in config.glossaries]


@command.command(name="find")
@click.argument("text")
@click.option(
    "-g",
    "--glossary",
    "glossaries",
    multiple=True,
    metavar="FILE",
    help="Glossary to search (repeatable); default: the configured ones.",
)
@click.option("--config", "config_path", metavar="FILE", help="Settings file.")
@click.option("--limit", default=10, show_default=True, help="Most fuzzy matches to show.")
@click.option("--min-score", default=75.0, show_default=True, help="Lowest fuzzy score (0-100).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def find_command(
    text: str,
    glossaries: tuple[str, ...],
    config_path: str | None,
    limit: int,
    min_score: float,
    fmt: str,
) -> int:
    """Look TEXT up by source or target term: exact (any inflected form), then fuzzy."""
    from mtqa.glossary import read_glossary
    from mtqa.glossary.find import find

    if not text.strip():
        raise UsageError("nothing to look up")
    loaded = [read_glossary(p) for p in _glossaries(glossaries, config_path)]
    results = find(loaded, text, limit=limit, min_score=min_score)
    if fmt == "json":
        _echo_json([r.as_dict() for r in results])
    else:
        for result in results:
            click.echo(result.render())
        if not results:
            click.echo(f"no term like {text!r}", err=True)
    return 0 if results else 1


@command.command(name="stats")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def stats_command(files: tuple[str, ...], fmt: str) -> int:
    """Entries, terms per language and status, proper nouns, subjects."""
    from mtqa.glossary import read_glossary
    from mtqa.glossary.find import stats

    data = [stats(read_glossary(f)) for f in files]
    if fmt == "json":
        _echo_json(data)
        return 0
    for item in data:
        langs = f"{item['source_lang'] or '?'} -> {item['target_lang']}"
        click.echo(f"{item['path']} ({item['format']}, {langs})")
        click.echo(f"  entries: {item['entries']}   terms: {item['terms']}")
        click.echo(
            "  terms per language: " + ", ".join(f"{k} {v}" for k, v in item["languages"].items())
        )
        click.echo(
            "  target terms by status: "
            + ", ".join(f"{k} {v}" for k, v in item["statuses"].items())
        )
        click.echo(f"  case-sensitive: {item['case_sensitive']}   do-not-translate: {item['dnt']}")
        if item["subjects"]:
            click.echo("  subjects: " + ", ".join(f"{k} {v}" for k, v in item["subjects"].items()))
        if item["problems"]:
            click.echo(f"  problems: {item['problems']} (run 'mtqa glossary lint')")
    return 0


@command.command(name="add")
@click.argument("file")
@click.option("--source", default="", help="Source-language term.")
@click.option("--target", required=True, help="Target-language (English) term.")
@click.option(
    "--status",
    default="preferred",
    show_default=True,
    type=click.Choice(["preferred", "admitted", "deprecated", "superseded", "forbidden"]),
)
@click.option("--forbidden", default="", metavar="A|B", help="Variants to flag, separated by |.")
@click.option("--case-sensitive/--not-case-sensitive", default=None, help="Match with case.")
@click.option("--note", default="", help="Note for translators.")
@click.option("--pos", default="", help="Part of speech (noun, verb, ...).")
@click.option("--domain", default="", help="Subject field.")
@click.option("--id", "entry_id", default="", help="Entry id.")
def add_command(
    file: str,
    source: str,
    target: str,
    status: str,
    forbidden: str,
    case_sensitive: bool | None,
    note: str,
    pos: str,
    domain: str,
    entry_id: str,
) -> int:
    """Append an entry to a CSV, TSV or TBX glossary (atomically; duplicates are refused)."""
    from mtqa.glossary.edit import add_entry

    line = add_entry(
        file,
        source=source,
        target=target,
        status=status,
        forbidden=[v for v in forbidden.split("|") if v.strip()],
        case_sensitive=case_sensitive,
        note=note,
        pos=pos,
        domain=domain,
        entry_id=entry_id,
    )
    click.echo(f"added to {file} at line {line}", err=True)
    return 0


__all__ = ["InputError", "command"]
