"""Loading glossaries for checking: parse, compile, and cache the compiled matcher on disk.

The cache file is named by a hash of the glossaries' bytes (in order), the precedence and the
matcher version, so an edited glossary never meets a stale matcher. A cache file that cannot
be read is rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mtqa.cache import read_pickle, write_pickle
from mtqa.glossary import parse_glossary, read_bytes
from mtqa.glossary.matcher import CompiledGlossaries, cache_key, compile_glossaries


def default_cache_dir() -> Path:
    """The user cache folder for mtqa (platform dependent; ``MTQA_CACHE_DIR`` overrides it)."""
    from mtqa.cache import cache_dir

    return cache_dir()


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
        compiled = read_pickle(cache_file)
        if isinstance(compiled, CompiledGlossaries):
            info["cache"] = "hit"
            info["terms"] = compiled.term_count
            return compiled, info
    glossaries = [parse_glossary(p, d) for p, d in zip(paths, datas, strict=True)]
    import gc

    collecting = gc.isenabled()
    gc.disable()  # compiling creates many small acyclic objects; see read_pickle
    try:
        compiled = compile_glossaries(glossaries, precedence)
    finally:
        if collecting:
            gc.enable()
    info["cache"] = "off"
    if cache_file is not None:
        info["cache"] = "miss"
        write_pickle(cache_file, compiled)
    info["terms"] = compiled.term_count
    return compiled, info
