"""``mtqa rules``: list every rule, or explain one with its examples."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command(name="rules")
@click.argument("code", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--config", "config_path", metavar="FILE", help="Settings file with extra rule packs."
)
def command(code: str | None, fmt: str, config_path: str | None) -> int:
    """List the rules; with CODE (or a prefix), explain those rules with their examples."""
    from mtqa.config import load
    from mtqa.errors import UsageError
    from mtqa.glossary.rules import RULES as GLOSSARY_RULES
    from mtqa.rules.loader import load_rules

    config = load(config_path, Path("."))
    rules = [r.meta for r in load_rules(config.rule_packs)] + list(GLOSSARY_RULES)
    rules.sort(key=lambda m: m.code)
    if code and code.upper().startswith("LT"):
        click.echo(
            "LanguageTool rules are reported as LT + the LanguageTool rule id "
            "(e.g. LTMORFOLOGIK_RULE_EN_US); their categories and the rules mtqa turns off "
            "by default are in docs/languagetool.md."
        )
        return 0
    if code:
        wanted = code.upper()
        rules = [m for m in rules if m.code.startswith(wanted) or m.name == code.lower()]
        if not rules:
            raise UsageError(f"no rule matches {code!r}; 'mtqa rules' lists them")
    if fmt == "json":
        data = [
            {
                "code": m.code,
                "name": m.name,
                "category": m.category,
                "severity": m.severity.value,
                "engine": m.engine,
                "pack": m.pack,
                "fix": m.fix.value if m.fix else None,
                "message": m.message,
                "why": m.why,
                "examples": {
                    "flag": [{"text": e.text, "suggestion": e.suggestion} for e in m.flag],
                    "ok": [e.text for e in m.ok],
                },
            }
            for m in rules
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if code and len(rules) <= 3:
        for m in rules:
            click.echo(f"{m.code} {m.name} ({m.category}, {m.severity.value})")
            click.echo(
                f"  pack: {m.pack}; engine: {m.engine}; fix: {m.fix.value if m.fix else 'none'}"
            )
            click.echo(f"\n  {m.why}\n")
            click.echo(f"  Message: {m.message}")
            click.echo("  Flags:")
            for e in m.flag:
                tail = f"  → {e.suggestion}" if e.suggestion else ""
                click.echo(f"    - {e.text}{tail}")
            click.echo("  Leaves alone:")
            for e in m.ok:
                click.echo(f"    - {e.text}")
            click.echo("")
        return 0
    width = max(len(m.name) for m in rules)
    for m in rules:
        click.echo(f"{m.code}  {m.name:<{width}}  {m.severity.value:<7}  {m.category}")
    return 0
