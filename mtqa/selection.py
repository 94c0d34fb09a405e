"""Rule selection by code prefix and severity overrides, as in ruff."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from mtqa.model import Severity


def _longest(code: str, prefixes: Iterable[str]) -> int:
    best = -1
    for prefix in prefixes:
        if prefix == "ALL":
            best = max(best, 0)
        elif code.startswith(prefix):
            best = max(best, len(prefix))
    return best


class Selection:
    """Decides which rule codes run: the most specific of --select/--ignore wins."""

    def __init__(self, select: Iterable[str], ignore: Iterable[str], extend: Iterable[str] = ()):
        self.select = tuple(p.upper() for p in (*select, *extend))
        self.ignore = tuple(p.upper() for p in ignore)

    def enabled(self, code: str) -> bool:
        """True when the rule ``code`` is selected."""
        chosen = _longest(code, self.select)
        dropped = _longest(code, self.ignore)
        return chosen >= 0 and chosen > dropped

    def any_enabled(self, family: str) -> bool:
        """True when some code of ``family`` (a prefix) may be selected.

        ``--ignore LT`` turns off the whole LanguageTool family, but ``--ignore LT
        --select LTMORFOLOGIK`` keeps one of its rules.
        """
        if any(p.startswith(family) and len(p) > len(family) for p in self.select):
            return True
        return self.enabled(family)


def severity_for(code: str, default: Severity, overrides: Mapping[str, Severity]) -> Severity:
    """The configured severity for ``code`` (longest matching prefix), else its default."""
    best = -1
    result = default
    for prefix, level in overrides.items():
        if code.startswith(prefix) and len(prefix) > best:
            best, result = len(prefix), level
    return result
