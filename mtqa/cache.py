"""Small persistent caches in the user's cache folder (or ``MTQA_CACHE_DIR``).

Anything kept here can be rebuilt: a missing, corrupt or unwritable cache only costs time.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """The folder for mtqa's persistent caches."""
    override = os.environ.get("MTQA_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform.startswith("linux"):
        # What platformdirs answers on Linux, without its imports at every start.
        # As the XDG spec says, a relative XDG_CACHE_HOME is ignored.
        home = os.environ.get("XDG_CACHE_HOME", "").strip()
        return Path(home if os.path.isabs(home) else Path.home() / ".cache") / "mtqa"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mtqa"))


def load_json(name: str, key: str) -> dict[str, Any]:
    """The cached mapping ``name`` if it was written under ``key``; else an empty one."""
    try:
        data = json.loads((cache_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("key") != key:
        return {}
    if not isinstance(data.get("data"), dict):
        return {}
    return dict(data["data"])


def save_json(name: str, key: str, data: dict[str, Any]) -> None:
    """Write the mapping atomically; failures are ignored (the cache is optional)."""
    from mtqa.errors import MtqaError
    from mtqa.fileio import atomic_write

    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / name, json.dumps({"key": key, "data": data}, ensure_ascii=False))
    except (OSError, MtqaError):
        pass


def read_pickle(path: Path) -> Any:
    """The object pickled in the cache file ``path``, or None when there is none.

    A file that cannot be read back (corrupt, or from an incompatible build) is deleted so
    that it is rebuilt. The cyclic collector is off while loading: unpickling creates many
    small objects, and the collector would walk them again and again as they are made.
    """
    import gc
    import pickle

    collecting = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:
        with suppress(OSError):
            path.unlink(missing_ok=True)
        return None
    finally:
        if collecting:
            gc.enable()


def write_pickle(path: Path, value: Any, freeze_patterns: bool = False) -> bool:
    """Pickle ``value`` into the cache file ``path`` atomically; False when that fails (a
    read-only folder, a value that cannot be pickled): caches only save time.

    With ``freeze_patterns``, compiled regular expressions in ``value`` are stored with the
    regex engine's code, so loading them does not compile them again (mtqa.rules.frozen).
    """
    import io
    import pickle

    from mtqa.errors import MtqaError
    from mtqa.fileio import atomic_write

    try:
        buffer = io.BytesIO()
        pickler = (_freezing_pickler() if freeze_patterns else pickle.Pickler)(
            buffer, protocol=pickle.HIGHEST_PROTOCOL
        )
        pickler.dump(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, buffer.getvalue())
    except (OSError, MtqaError, pickle.PicklingError, TypeError, AttributeError):
        return False
    return True


def _freezing_pickler() -> type[Any]:
    import pickle
    import re

    class FreezingPickler(pickle.Pickler):
        """Pickles a compiled pattern as a call that rebuilds it from its engine code."""

        def reducer_override(self, obj: Any) -> Any:
            if isinstance(obj, re.Pattern) and isinstance(obj.pattern, str | bytes):
                from mtqa.rules.frozen import freeze, thaw

                return thaw, (freeze(obj.pattern, obj.flags), obj.pattern, obj.flags)
            return NotImplemented

    return FreezingPickler


@cache
def package_version(name: str) -> str:
    """The installed version of a distribution, for naming caches built from its data.

    Read from the name of its ``.dist-info`` folder beside the package when there is one:
    ``importlib.metadata`` costs 10 ms to import and more to search every path entry, at
    every start of a worker process.
    """
    from importlib.util import find_spec

    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        site = Path(spec.origin).resolve().parent.parent
        found = sorted(site.glob(f"{name}-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len(name) + 1 : -len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def _lemminflect_key() -> str:
    return f"lemminflect {package_version('lemminflect')}"


class JsonStore:
    """A small persistent mapping, loaded on first use and saved by :meth:`flush`."""

    def __init__(self, name: str, key: str | Callable[[], str]) -> None:
        self.name = name
        self._key = key
        self._data: dict[str, Any] | None = None
        self._dirty = False

    @property
    def key(self) -> str:
        """What the stored data must have been written under (worked out on first use)."""
        if callable(self._key):
            self._key = self._key()
        return self._key

    def _loaded(self) -> dict[str, Any]:
        if self._data is None:
            self._data = load_json(self.name, self.key)
        return self._data

    def get(self, item: str, default: Any = None) -> Any:
        """The stored value of ``item``, or ``default``."""
        return self._loaded().get(item, default)

    def __contains__(self, item: str) -> bool:
        return item in self._loaded()

    def put(self, item: str, value: Any) -> None:
        """Remember ``value`` (JSON-serialisable) for ``item``."""
        self._loaded()[item] = value
        self._dirty = True

    def flush(self) -> None:
        """Save new entries, if any."""
        if self._dirty and self._data is not None:
            save_json(self.name, self.key, self._data)
            self._dirty = False


class WordForms(JsonStore):
    """All inflected forms of a lemma, remembered across runs.

    Loading lemminflect (and numpy under it) costs about half a second; a rule pack's lemmas
    need it only the first time.
    """

    def __init__(self) -> None:
        super().__init__("word-forms.json", _lemminflect_key)

    def forms(self, lemma: str) -> list[str]:
        """Every surface form of ``lemma`` (lowercase, including itself)."""
        cached = self.get(lemma.lower())
        if isinstance(cached, list):
            return [str(f) for f in cached]
        from mtqa.inflect import forms_of

        found = sorted(forms_of(lemma))
        self.put(lemma.lower(), found)
        return found


def _pattern_store_key() -> str:
    import sys

    from mtqa import __version__
    from mtqa.rules.anchors import ALGORITHM

    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return f"mtqa {__version__} python {python} anchors {ALGORITHM}"


class Inflections(JsonStore):
    """``inflect_like`` answers, remembered across runs (lemminflect loads only on a miss)."""

    def __init__(self) -> None:
        super().__init__("inflections.json", _lemminflect_key)

    def like(self, lemma: str, word: str) -> str:
        """``lemma`` inflected like ``word`` ("make", "gave" -> "made")."""
        key = f"{lemma}|{word.lower()}"
        cached = self.get(key)
        if isinstance(cached, str):
            return cached
        from mtqa.inflect import inflect_like

        result = inflect_like(lemma, word)
        self.put(key, result)
        self.flush()
        return result


class Lexicon(JsonStore):
    """Whether a lowercase word is an ordinary English word (in lemminflect's dictionary).

    Answers are remembered across runs, so the dictionary loads only for unseen words.
    """

    def __init__(self) -> None:
        super().__init__("lexicon.json", _lemminflect_key)

    def known(self, words: set[str]) -> set[str]:
        """The members of ``words`` that are ordinary English words."""
        missing = [w for w in words if not isinstance(self.get(w), bool)]
        if missing:
            from mtqa.inflect import _lemminflect

            lemmas = _lemminflect().getAllLemmas
            for word in missing:
                self.put(word, bool(lemmas(word)))
            self.flush()
        return {w for w in words if self.get(w)}


WORD_FORMS = WordForms()
LEXICON = Lexicon()
INFLECTIONS = Inflections()
#: pattern -> its literal anchors (or None): patterns seen here compiled without error before.
PATTERNS = JsonStore("patterns.json", _pattern_store_key)


def flush_all() -> None:
    """Save every store that changed."""
    WORD_FORMS.flush()
    PATTERNS.flush()
    INFLECTIONS.flush()
