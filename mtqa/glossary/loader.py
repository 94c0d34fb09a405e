"""Loading glossaries for checking: parse, compile, and cache the compiled matcher on disk.

The cache file is named by a hash of the glossaries' bytes (in order), the precedence and the
matcher version, so an edited glossary never meets a stale matcher. A cache file that cannot
be read is rebuilt.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mtqa.glossary import parse_glossary, read_bytes
from mtqa.glossary.matcher import CompiledGlossaries, cache_key, compile_glossaries


def default_cache_dir() -> Path:
    """The user cache folder for mtqa (platform dependent)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("mtqa"))


def load_compiled(
    paths: Sequence[str | Path],
    precedence: str = "last",
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> tuple[CompiledGlossaries, dict[str, Any]]:
    """The compiled glossaries and what happened: ``{"cache": "hit"|"miss"|"off", ...}``."""
    datas = [read_bytes(p) for p in paths]
    info: dict[str, Any] = {"glossaries": [str(p) for p in paths], "precedence": precedence}
    cache_file: Path | None = None
    if use_cache:
        folder = (cache_dir or default_cache_dir()) / "glossary"
        cache_file = folder / f"{cache_key(datas, precedence)}.pickle"
        compiled = _read_cache(cache_file)
        if compiled is not None:
            info["cache"] = "hit"
            info["terms"] = compiled.term_count
            return compiled, info
    glossaries = [parse_glossary(p, d) for p, d in zip(paths, datas, strict=True)]
    import gc

    collecting = gc.isenabled()
    gc.disable()  # compiling creates many small acyclic objects; see _read_cache
    try:
        compiled = compile_glossaries(glossaries, precedence)
    finally:
        if collecting:
            gc.enable()
    info["cache"] = "off"
    if cache_file is not None:
        info["cache"] = "miss"
        _write_cache(cache_file, compiled)
    info["terms"] = compiled.term_count
    return compiled, info


def _read_cache(path: Path) -> CompiledGlossaries | None:
    import gc

    # Unpickling builds hundreds of thousands of small objects; the cyclic collector would
    # walk them again and again while they are created (about half the load time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as handle:
            compiled = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:
        path.unlink(missing_ok=True)
        return None
    finally:
        if collecting:
            gc.enable()
    return compiled if isinstance(compiled, CompiledGlossaries) else None


def _write_cache(path: Path, compiled: CompiledGlossaries) -> None:
    from mtqa.errors import MtqaError
    from mtqa.fileio import atomic_write

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, MtqaError):
        pass  # a read-only cache folder only costs speed
