"""``mtqa check``: the linter."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mtqa.cli.options import emit, split_codes, use_color
from mtqa.reporters import REPORTERS


@click.command(name="check")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(REPORTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", metavar="FILE", help="Write the report to FILE (atomically).")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    help="Lowest severity that makes the exit code 1 [default: warning].",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Only these rule codes or prefixes (comma-separated; ALL for every rule).",
)
@click.option(
    "--extend-select",
    multiple=True,
    metavar="CODES",
    help="Add rule codes or prefixes to the selection.",
)
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes or prefixes.")
@click.option(
    "--config",
    "config_path",
    metavar="FILE",
    help="Settings file (mtqa.toml or pyproject.toml); default: found from the path.",
)
@click.option(
    "--glossary",
    "glossaries",
    multiple=True,
    metavar="FILE",
    help="Term glossary (.tbx, .csv, .tsv); repeatable.",
)
@click.option(
    "--grammar",
    type=click.Choice(["auto", "required", "off"]),
    help="LanguageTool: use if reachable, require, or never connect.",
)
@click.option("--language", help="Target language variant for grammar checks (en-US, en-GB).")
@click.option("--source-language", help="Source language of bilingual input (zh, de, ...).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option(
    "--stdin-format",
    type=click.Choice(["txt", "md", "tsv"]),
    default="txt",
    show_default=True,
    help="Format of standard input ('-').",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text output.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    metavar="N",
    help="Worker processes for big inputs (0: one per CPU; 1: no workers) [default: 0].",
)
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
@click.option("--statistics", is_flag=True, help="Count findings per rule instead of listing them.")
def command(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: str | None,
    glossaries: tuple[str, ...],
    grammar: str | None,
    language: str | None,
    source_language: str | None,
    no_cache: bool,
    stdin_format: str,
    color: str,
    jobs: int | None,
    quiet: bool,
    statistics: bool,
) -> int:
    """Check PATHS (files, folders, or - for standard input) and report problems.

    Exit code 0: nothing at or above the fail level; 1: findings; 2: an input, usage or
    configuration error.
    """
    from mtqa.config import load
    from mtqa.core import check_paths
    from mtqa.reporters import ReportOptions, get_reporter
    from mtqa.reporters.text import render_statistics

    first = next((p for p in paths if p != "-"), ".")
    config = load(config_path, Path(first))
    changes: dict[str, object] = {}
    if select:
        changes["select"] = split_codes(select)
    if extend_select:
        changes["extend_select"] = config.extend_select + split_codes(extend_select)
    if ignore:
        changes["ignore"] = config.ignore + split_codes(ignore)
    if fail_on:
        changes["fail_on"] = fail_on
    if glossaries:
        changes["glossaries"] = config.glossaries + tuple(Path(g) for g in glossaries)
    if grammar:
        changes["grammar"] = grammar
    if language:
        changes["language"] = language
    if source_language:
        changes["source_language"] = source_language
    if no_cache:
        changes["no_cache"] = True
    if jobs is not None:
        changes["jobs"] = jobs
    config = config.replace(**changes)

    stdin = sys.stdin.buffer.read() if "-" in paths else None
    wants_figures = fmt == "json" and not statistics  # the JSON summary has them
    result = check_paths(list(paths), config, stdin, "." + stdin_format, wants_figures)
    from mtqa.cli import keep_alive

    keep_alive(result)  # freed by the end of the process, not object by object
    for notice in result.notices:
        click.echo(f"mtqa: {notice}", err=True)
    for error in result.errors:
        click.echo(f"mtqa: error: {error}", err=True)
    if fmt == "json":
        result.summary["input_errors"] = result.errors
    options = ReportOptions(color=use_color(color, output), quiet=quiet)
    if statistics:
        emit(render_statistics(result), output)
    else:
        emit(get_reporter(fmt)(result, options), output)
    if result.errors:
        return 2
    return 1 if result.count_at_or_above(config.fail_on) else 0
