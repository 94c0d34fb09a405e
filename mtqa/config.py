"""Layered configuration: defaults, then ``mtqa.toml`` or ``[tool.mtqa]``, then flags."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtqa.errors import ConfigError
from mtqa.model import Severity

FAIL_LEVELS = ("error", "warning", "info", "never")
GRAMMAR_MODES = ("auto", "required", "off")


@dataclass(frozen=True)
class ReadabilityConfig:
    """Thresholds of the readability rules."""

    max_sentence_words: int = 40
    min_reading_ease: float = 30.0
    min_paragraph_words: int = 100


@dataclass(frozen=True)
class LanguageToolConfig:
    """Where the LanguageTool server is and which of its rules to use."""

    url: str | None = None
    port: int = 8081
    language: str | None = None
    picky: bool = False
    enabled_rules: tuple[str, ...] = ()
    disabled_rules: tuple[str, ...] = ()
    enabled_categories: tuple[str, ...] = ()
    disabled_categories: tuple[str, ...] = ()
    timeout: float = 60.0
    heap: str = "1g"
    connect_timeout: float = 5.0  # first contact; an unreachable server is found this fast
    total_timeout: float = 900.0  # the whole LanguageTool pass of one run
    retries: int = 2  # per request, with back-off
    concurrency: int = 4  # requests in flight
    batch_chars: int = 6000  # text per request (capped by the server's limit)
    spellcheck_names: bool = False  # spelling matches on capitalised words inside sentences


@dataclass(frozen=True)
class GlossaryConfig:
    """How several glossaries combine: "last" (later ones override earlier ones) or "first"."""

    precedence: str = "last"


@dataclass(frozen=True)
class Config:
    """Everything that changes what ``mtqa check`` does."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    fail_on: str = "warning"
    rule_packs: tuple[Path, ...] = ()
    glossaries: tuple[Path, ...] = ()
    language: str = "en-US"
    source_language: str | None = None
    grammar: str = "auto"
    cache_dir: Path | None = None
    no_cache: bool = False
    jobs: int = 0  # worker processes for big inputs; 0 = one per available CPU
    readability: ReadabilityConfig = ReadabilityConfig()
    languagetool: LanguageToolConfig = LanguageToolConfig()
    glossary: GlossaryConfig = GlossaryConfig()
    path: Path | None = None  # the file the settings came from, if any

    def replace(self, **changes: Any) -> Config:
        """A copy with some settings changed."""
        return dataclasses.replace(self, **changes)


# ---------------------------------------------------------------------------------------------
# Parsing and validation. Keys are kebab-case in TOML, as in ruff.

_SECTIONS: dict[str, type[Any]] = {
    "readability": ReadabilityConfig,
    "languagetool": LanguageToolConfig,
    "glossary": GlossaryConfig,
}
_PATH_LISTS = {"rule-packs", "glossaries"}


def _check_type(key: str, value: Any, expected: Any, where: str) -> Any:
    name = getattr(expected, "__name__", str(expected))
    if expected in ("tuple[str, ...]", "tuple[Path, ...]"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: '{key}' must be a list of strings")
        return tuple(value)
    if expected in ("int",):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: '{key}' must be an integer")
        return value
    if expected in ("float",):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: '{key}' must be a number")
        return float(value)
    if expected in ("bool",):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: '{key}' must be true or false")
        return value
    if expected in ("str", "str | None", "Path | None"):
        if not isinstance(value, str):
            raise ConfigError(f"{where}: '{key}' must be a string")
        return value
    raise ConfigError(f"{where}: '{key}' has an unsupported type {name}")  # pragma: no cover


def _section(cls: type[Any], table: Mapping[str, Any], prefix: str, where: str) -> Any:
    known = {f.name.replace("_", "-"): f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        f = known.get(key)
        if f is None:
            raise ConfigError(f"{where}: unknown key '{prefix}{key}'")
        values[f.name] = _check_type(prefix + key, value, f.type, where)
    return cls(**values)


def parse_settings(
    table: Mapping[str, Any], where: str, base_dir: Path, prefix: str = ""
) -> Config:
    """Validate a ``[tool.mtqa]`` table (or the top level of ``mtqa.toml``) into a Config."""
    known = {f.name.replace("_", "-") for f in dataclasses.fields(Config)} - {"path", "no-cache"}
    values: dict[str, Any] = {}
    for key, value in table.items():
        full = prefix + key
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: '{full}' must be a table")
            values[key] = _section(_SECTIONS[key], value, full + ".", where)
            continue
        if key not in known:
            raise ConfigError(f"{where}: unknown key '{full}'")
        if key == "severity":
            values["severity"] = _parse_severity(value, full, where)
        elif key in _PATH_LISTS:
            items = _check_type(full, value, "tuple[str, ...]", where)
            values[key.replace("-", "_")] = tuple(base_dir / p for p in items)
        elif key == "jobs":
            values["jobs"] = _check_type(full, value, "int", where)
        elif key == "cache-dir":
            values["cache_dir"] = base_dir / _check_type(full, value, "str", where)
        elif key in ("select", "ignore", "extend-select"):
            values[key.replace("-", "_")] = tuple(
                c.upper() for c in _check_type(full, value, "tuple[str, ...]", where)
            )
        else:
            values[key.replace("-", "_")] = _check_type(full, value, "str", where)
    config = Config(**values)
    validate(config, where)
    return config


def _parse_severity(value: Any, key: str, where: str) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: '{key}' must be a table of CODE = \"error|warning|info\"")
    out: dict[str, Severity] = {}
    for code, level in value.items():
        try:
            out[str(code).upper()] = Severity(level)
        except ValueError:
            raise ConfigError(
                f"{where}: '{key}.{code}' must be error, warning or info, not {level!r}"
            ) from None
    return out


def validate(config: Config, where: str) -> None:
    """Check values that a type alone does not constrain."""
    if config.fail_on not in FAIL_LEVELS:
        raise ConfigError(f"{where}: 'fail-on' must be one of {', '.join(FAIL_LEVELS)}")
    if config.grammar not in GRAMMAR_MODES:
        raise ConfigError(f"{where}: 'grammar' must be one of {', '.join(GRAMMAR_MODES)}")
    if config.glossary.precedence not in ("first", "last"):
        raise ConfigError(f"{where}: 'glossary.precedence' must be first or last")
    if config.jobs < 0:
        raise ConfigError(f"{where}: 'jobs' must be 0 (one per CPU) or more")
    if config.readability.max_sentence_words < 1:
        raise ConfigError(f"{where}: 'readability.max-sentence-words' must be at least 1")


def load_file(path: Path) -> Config:
    """Load settings from ``mtqa.toml`` (top level) or ``pyproject.toml`` (``[tool.mtqa]``)."""
    import tomllib  # only when there is a file to read (3 ms of imports)

    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{where}: no such configuration file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML ({exc})") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("mtqa", {})
        prefix = "tool.mtqa."
    else:
        table = data.get("tool", {}).get("mtqa", data) if "tool" in data else data
        prefix = ""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [tool.mtqa] must be a table")
    config = parse_settings(table, where, path.parent.resolve(), prefix)
    return config.replace(path=path)


def discover(start: Path) -> Path | None:
    """The nearest ``mtqa.toml``, or ``pyproject.toml`` with ``[tool.mtqa]``, at or above start."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "mtqa.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "[tool.mtqa" in text:
                return pyproject
    return None


def load(config_path: str | None, start: Path) -> Config:
    """Settings from ``--config`` if given, else discovered from ``start``, else defaults."""
    if config_path is not None:
        return load_file(Path(config_path))
    found = discover(start)
    return load_file(found) if found is not None else Config()
