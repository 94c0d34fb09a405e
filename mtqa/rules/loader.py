"""Reading YAML rule packs into compiled rules.

A pack is a YAML file with ``pack``, optional ``defaults`` and a list of ``rules``. Each rule
names the typed engine it ``extends``; keys other than the common ones below are the engine's
parameters, validated by the engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import Any

from mtqa.cache import read_pickle, write_pickle
from mtqa.errors import ConfigError
from mtqa.model import CATEGORIES, Applicability, Severity
from mtqa.rules.engines import compile_rule
from mtqa.rules.model import CompiledRule, Example, RuleMeta, read_protect

_CODE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COMMON_KEYS = {
    "code",
    "name",
    "extends",
    "category",
    "severity",
    "message",
    "why",
    "examples",
    "fix",
    "protect",
}

#: Protection applied when a rule does not say: URLs, code and quoted mentions of words.
DEFAULT_PROTECT = ("code", "mention", "url")


def builtin_pack_paths() -> list[Path]:
    """The rule packs shipped with mtqa, in name order."""
    # The packs ship as package files; importlib.resources would cost 10 ms of imports.
    folder = Path(__file__).resolve().parent / "packs"
    return sorted(p for p in folder.iterdir() if p.name.endswith(".yaml"))


def _yaml_load(text: str, where: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{where}{line}: invalid YAML ({problem})") from None


def load_pack(path: Path) -> list[CompiledRule]:
    """Read and compile one rule pack; any problem is a ConfigError naming file and rule."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{where}: rule pack not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read rule pack ({exc})") from None
    data = _yaml_load(text, where)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ConfigError(f"{where}: a rule pack needs a 'rules' list")
    unknown = set(data) - {"pack", "description", "defaults", "rules"}
    if unknown:
        raise ConfigError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    pack = str(data.get("pack") or path.stem)
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise ConfigError(f"{where}: 'defaults' must be a mapping")
    rules: list[CompiledRule] = []
    for index, raw in enumerate(data["rules"]):
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: rule #{index + 1} must be a mapping")
        merged = {**defaults, **raw}
        label = f"{where}: rule {merged.get('code', '#' + str(index + 1))}"
        meta = _read_meta(merged, pack, label, where)
        params = {k: v for k, v in merged.items() if k not in COMMON_KEYS}
        rules.append(compile_rule(meta, params, label))
    return rules


def _read_meta(raw: Mapping[str, Any], pack: str, label: str, where: str) -> RuleMeta:
    for key in ("code", "name", "extends", "category", "severity", "message", "why"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(f"{label}: '{key}' is required and must be a string")
    if not _CODE.match(raw["code"]):
        raise ConfigError(f"{label}: code must be 2-4 capitals and 3 digits, like ZH001")
    if not _NAME.match(raw["name"]):
        raise ConfigError(f"{label}: name must be kebab-case")
    if raw["category"] not in CATEGORIES:
        raise ConfigError(f"{label}: unknown category '{raw['category']}'")
    try:
        severity = Severity(raw["severity"])
    except ValueError:
        raise ConfigError(f"{label}: severity must be error, warning or info") from None
    fix = None
    if raw.get("fix") is not None:
        try:
            fix = Applicability(raw["fix"])
        except ValueError:
            raise ConfigError(f"{label}: fix must be safe, unsafe or display-only") from None
    examples = raw.get("examples") or {}
    if not isinstance(examples, dict) or set(examples) - {"flag", "ok"}:
        raise ConfigError(f"{label}: 'examples' must have 'flag' and 'ok' lists")
    return RuleMeta(
        code=raw["code"],
        name=raw["name"],
        category=raw["category"],
        severity=severity,
        message=" ".join(raw["message"].split()),
        why=" ".join(raw["why"].split()),
        engine=raw["extends"],
        pack=pack,
        flag=_examples(examples.get("flag"), label),
        ok=_examples(examples.get("ok"), label),
        fix=fix,
        protect=read_protect(raw, DEFAULT_PROTECT, label),
        source=where,
    )


def _examples(value: Any, label: str) -> tuple[Example, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"{label}: examples must be lists")
    out = []
    for item in value:
        if isinstance(item, str):
            out.append(Example(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            suggestion = item.get("suggestion")
            out.append(Example(item["text"], str(suggestion) if suggestion is not None else None))
        else:
            raise ConfigError(f"{label}: an example must be a string or {{text, suggestion}}")
    return tuple(out)


def load_rules(extra_packs: Sequence[Path] = (), builtin: bool = True) -> list[CompiledRule]:
    """Built-in packs plus user packs; codes must be unique across all of them.

    Compiled rules are kept for the life of the process, keyed by each pack's path, size and
    modification time, so a library user checking many texts loads them once.
    """
    paths = [*(builtin_pack_paths() if builtin else []), *extra_packs]
    stamps = []
    for path in paths:
        try:
            info = path.stat()
            stamps.append((str(path), info.st_size, info.st_mtime_ns))
        except OSError:
            stamps.append((str(path), -1, -1))
    return list(_load_rules_cached(tuple(stamps)))


@lru_cache(maxsize=16)
def _load_rules_cached(stamps: tuple[tuple[str, int, int], ...]) -> tuple[CompiledRule, ...]:
    paths = [Path(p) for p, _, _ in stamps]
    cache_file = _disk_cache_file(stamps)
    if cache_file is not None:
        cached = read_pickle(cache_file)
        if isinstance(cached, tuple):
            return cached
    seen: dict[str, str] = {}
    rules: list[CompiledRule] = []
    for path in paths:
        for rule in load_pack(path):
            previous = seen.get(rule.meta.code)
            if previous is not None:
                raise ConfigError(
                    f"{path}: rule code {rule.meta.code} is already used in {previous}"
                )
            seen[rule.meta.code] = str(path)
            rules.append(rule)
    from mtqa.cache import flush_all

    flush_all()
    if cache_file is not None:
        _write_disk_cache(cache_file, tuple(rules))
    return tuple(rules)


# Compiled packs are kept on disk too: parsing the YAML and building 138 rules costs a tenth
# of a second at every start, unpickling them a few milliseconds. The file is named by the
# packs and the source of the classes in it, so an edit to either is a miss.


#: Compiled rule sets kept on disk (several mtqa versions or pack sets may be in use).
KEEP_CACHED = 8


def _disk_cache_file(stamps: tuple[tuple[str, int, int], ...]) -> Path | None:
    """The cache file for packs of these (path, size, mtime) stamps: named after them and the
    rule code's stamps, as Python names its bytecode caches."""
    import sys
    import zlib

    from mtqa import __version__
    from mtqa.cache import cache_dir

    if any(size < 0 for _, size, _ in stamps):
        return None  # load_pack reports a missing or unreadable pack
    parts = [f"mtqa-rules {__version__} {sys.version}"]
    parts += [f"{path}\0{size}\0{mtime}" for path, size, mtime in stamps]
    try:
        for path in _code_files():
            info = path.stat()
            parts.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
    except OSError:
        return None
    key = "\n".join(parts).encode()
    # Two 32-bit checksums name the file (hashlib would cost 5 ms of imports at every start).
    name = f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}{len(key):x}.pickle"
    return cache_dir() / "rules" / name


@lru_cache(maxsize=1)
def _code_files() -> tuple[Path, ...]:
    """The modules whose classes a compiled pack holds."""
    package = Path(__file__).resolve().parent
    return (*sorted(package.rglob("*.py")), package.parent / "model.py")


def _write_disk_cache(path: Path, rules: tuple[CompiledRule, ...]) -> None:
    if write_pickle(path, rules, freeze_patterns=True):
        # Each edit of a pack or of mtqa leaves a file behind: keep the newest few.
        with suppress(OSError):
            older = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
            for stale in older[:-KEEP_CACHED]:
                stale.unlink(missing_ok=True)
