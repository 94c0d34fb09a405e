"""Small helpers shared by subcommands."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

import click

from mtqa.fileio import atomic_write


def split_codes(values: Iterable[str]) -> tuple[str, ...]:
    """``--select ZH,RP --select TY`` -> ("ZH", "RP", "TY")."""
    out: list[str] = []
    for value in values:
        out.extend(p.strip().upper() for p in value.split(",") if p.strip())
    return tuple(out)


def use_color(choice: str, output: str | None) -> bool:
    """Colour on a terminal unless NO_COLOR is set; ``always``/``never`` override."""
    if choice == "always":
        return True
    if choice == "never" or output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def emit(text: str, output: str | None) -> None:
    """Print to standard output, or write atomically to ``output``."""
    if output:
        atomic_write(output, text)
    else:
        click.echo(text, nl=False)
