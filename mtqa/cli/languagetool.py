"""``mtqa languagetool``: install, start, stop and query a local LanguageTool server."""

from __future__ import annotations

import json
from pathlib import Path

import click

from mtqa.languagetool import LT_VERSION


def _config_port(port: int | None, config_path: str | None) -> tuple[int, str]:
    """The port (flag, else configuration) and heap size from the configuration."""
    from mtqa.config import load

    config = load(config_path, Path("."))
    return (port if port is not None else config.languagetool.port), config.languagetool.heap


def _echo(message: str) -> None:
    click.echo(message, err=True)


@click.group(name="languagetool")
def command() -> None:
    """Install, start, stop and query a local LanguageTool server.

    mtqa uses any LanguageTool server: set MTQA_LANGUAGETOOL_URL or
    [tool.mtqa.languagetool] url. These commands run one on 127.0.0.1 for you.
    """


@command.command(name="install")
@click.option("--version", "version", default=LT_VERSION, show_default=True,
              help="LanguageTool version.")
@click.option("--source", type=click.Choice(["maven", "language-tool-python"]), default="maven",
              show_default=True,
              help="Maven Central (server + English only), or language-tool-python's download.")
@click.option("--force", is_flag=True, help="Download again even if installed.")
def install_command(version: str, source: str, force: bool) -> int:
    """Download the LanguageTool server into the per-user cache folder."""
    from mtqa.languagetool.install import install, install_with_language_tool_python

    if source == "maven":
        found = install(version, force=force, echo=_echo)
    else:
        found = install_with_language_tool_python(version, echo=_echo)
    click.echo(f"LanguageTool {found.version} ({found.source}): {found.jars} jars, "
               f"{found.size / 1e6:.0f} MB in {found.location}")
    return 0


@command.command(name="start")
@click.option("--port", type=int, help="Port on 127.0.0.1 [default: configuration, else 8081].")
@click.option("--heap", help="Java heap (-Xmx) [default: configuration, else 1g].")
@click.option("--wait", type=float, default=120.0, show_default=True,
              help="Seconds to wait until the server answers.")
@click.option("--config", "config_path", metavar="FILE", help="Settings file.")
def start_command(port: int | None, heap: str | None, wait: float,
                  config_path: str | None) -> int:
    """Start a server on 127.0.0.1 and wait until it answers."""
    from mtqa.errors import UsageError
    from mtqa.languagetool.server import start

    chosen, configured_heap = _config_port(port, config_path)
    heap = heap or configured_heap
    if not heap or not heap[:-1].isdigit() or heap[-1].lower() not in "kmg":
        raise UsageError(f"heap '{heap}' must look like 512m or 2g")
    state = start(chosen, heap=heap, wait=wait, echo=_echo)
    click.echo(f"LanguageTool {state.version} is running at {state.url} (pid {state.pid})")
    return 0


@command.command(name="stop")
@click.option("--port", type=int, help="Port of the server to stop [default: configuration].")
@click.option("--config", "config_path", metavar="FILE", help="Settings file.")
def stop_command(port: int | None, config_path: str | None) -> int:
    """Stop the server that `mtqa languagetool start` started on this port."""
    from mtqa.languagetool.server import stop

    chosen, _ = _config_port(port, config_path)
    click.echo(stop(chosen))
    return 0


@command.command(name="status")
@click.option("--port", type=int, help="Port of the local server [default: configuration].")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--config", "config_path", metavar="FILE", help="Settings file.")
def status_command(port: int | None, as_json: bool, config_path: str | None) -> int:
    """Show the installation and the local server; exit 1 when no server answers."""
    from mtqa.languagetool.install import find_installation
    from mtqa.languagetool.server import status

    chosen, _ = _config_port(port, config_path)
    found = find_installation()
    info = status(chosen)
    info["installed"] = (None if found is None else
                         {"version": found.version, "source": found.source,
                          "location": str(found.location), "jars": found.jars})
    if as_json:
        click.echo(json.dumps(info, indent=2))
    else:
        if found is None:
            click.echo("installed: no (run `mtqa languagetool install`)")
        else:
            click.echo(f"installed: LanguageTool {found.version} ({found.source}) "
                       f"in {found.location}")
        if info.get("recorded"):
            state = "running" if info.get("running") else "not running"
            click.echo(f"server: pid {info['pid']} on port {chosen}, {state}")
        else:
            click.echo(f"server: none started by mtqa on port {chosen}")
        click.echo(f"{info['url']}: {'answers' if info['healthy'] else 'no answer'}")
    return 0 if info["healthy"] else 1
