"""The command line: ``main(argv) -> int``; each subcommand lives in its own module.

Subcommand modules are imported only when their command runs, so ``mtqa --help`` stays
fast: the help text of each command is declared here.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from mtqa import __version__
from mtqa.errors import MtqaError

#: command name -> (module, short help). The module defines ``command`` (a click command).
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("mtqa.cli.check", "Check documents and report problems."),
    "rules": ("mtqa.cli.rules", "List the rules, or explain one."),
    "languagetool": (
        "mtqa.cli.languagetool",
        "Install, start, stop and query a local LanguageTool server.",
    ),
    "glossary": ("mtqa.cli.glossary", "Validate, merge, convert and search term glossaries."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        command: click.Command = importlib.import_module(entry[0]).command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mtqa", message="%(prog)s %(version)s")
def cli() -> None:
    """mtqa: quality checks and post-editing support for machine-translated English."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code (0 clean, 1 findings, 2 errors)."""
    import gc

    # A run creates hundreds of thousands of small, acyclic objects (units, matches,
    # findings); the default thresholds make the cyclic collector walk them over and over.
    # A command is a short-lived process, so collect far less often (about 10% faster).
    threshold = gc.get_threshold()
    gc.set_threshold(200_000, 50, 100)
    try:
        return _main(argv)
    finally:
        if KEEP_ALIVE is None:
            # Back to the defaults for a library caller. (The console script ends the process
            # next: with the defaults back, its next allocation would start a full collection
            # over everything the run made, 10 ms on a big input.)
            gc.set_threshold(*threshold)


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result: Any = cli.main(args=args, prog_name="mtqa", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Abort:
        click.echo("mtqa: aborted", err=True)
        return 130
    except MtqaError as exc:
        click.echo(f"mtqa: error: {exc}", err=True)
        return 2
    except KeyboardInterrupt:
        click.echo("mtqa: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:
        if os.environ.get("MTQA_DEBUG"):
            raise
        click.echo(
            f"mtqa: internal error: {type(exc).__name__}: {exc} (set MTQA_DEBUG=1 for details)",
            err=True,
        )
        return 2
    return int(result) if isinstance(result, int) else 0


#: Set by :func:`run`: commands put here what they would otherwise free on their way out.
KEEP_ALIVE: list[object] | None = None


def keep_alive(value: object) -> None:
    """Do not free ``value`` before the process ends, if :func:`run` ends it without clean-up
    (a library caller's :func:`main` frees it as usual)."""
    if KEEP_ALIVE is not None:
        KEEP_ALIVE.append(value)


def run() -> None:
    """Console-script entry point.

    Once the report is out, the process ends without the interpreter's clean-up, which
    frees a big run's objects one by one for nothing (about 25 ms on 45,000 lines, with the
    documents and findings a command keeps alive). Output is flushed first; every file mtqa
    writes is complete and closed by then.
    """
    global KEEP_ALIVE
    KEEP_ALIVE = []
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):
        code = code or 1
    os._exit(code)
