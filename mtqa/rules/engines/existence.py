"""Existence and substitution: a phrase or regex that should not appear, with replacements.

Parameters:
  match: a regex, or a list of regexes (alternatives); a space matches any whitespace run.
  swap: a mapping of phrase -> suggestion (or list of suggestions); without ``match`` the
    phrases themselves are the pattern, with ``match`` the matched text is looked up.
  suggest: suggestion templates; ``{1}`` inserts group 1, ``{make@1}`` inflects "make" like it.
  mark: which group is the flagged span (default: the whole match).
  anchors: literal strings, one of which every match contains (lowercase); lets the rule run
    only where one occurs. Derived from ``match`` automatically when it has literal words.
  case-sensitive: match case exactly (default false).
  unless / unless-before / unless-after / only-if: context conditions (regexes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mtqa.errors import ConfigError
from mtqa.rules.anchors import phrase_anchors
from mtqa.rules.model import (
    CONDITION_KEYS,
    Conditions,
    LazyPattern,
    PatternRule,
    RuleMeta,
    Template,
    require,
)

KEYS = {"match", "swap", "suggest", "mark", "case-sensitive", "anchors", *CONDITION_KEYS}


def compile(meta: RuleMeta, params: Mapping[str, Any], where: str) -> PatternRule:
    """Build a pattern rule from ``match`` or ``swap``."""
    require(params, KEYS, where)
    flags = 0 if params.get("case-sensitive") else re.IGNORECASE
    swap: dict[str, list[str]] | None = None
    phrases_anchors: frozenset[str] | None = None
    if "swap" in params:
        raw = params["swap"]
        if not isinstance(raw, dict) or not raw:
            raise ConfigError(f"{where}: 'swap' must be a mapping of phrase to suggestion")
        swap = {}
        for phrase, suggestion in raw.items():
            options = suggestion if isinstance(suggestion, list) else [suggestion]
            swap[" ".join(str(phrase).lower().split())] = [str(o) for o in options]
        alternatives = sorted(swap, key=len, reverse=True)
        if all(a[:1].isalnum() and a[-1:].isalnum() for a in alternatives):
            # Word phrases: the boundary checks once around the alternation, not in each
            # alternative (the regex engine would try every look-behind at every position).
            # The anchors come from the phrases: the regex parser merges their common starts.
            words = "|".join(_escaped(a) for a in alternatives)
            pattern = rf"(?<![\w-])(?:{words})(?![\w-])"
            phrases_anchors = phrase_anchors(alternatives)
        else:
            pattern = "|".join(_bounded(a) for a in alternatives)
    if "match" in params or swap is None:
        phrases_anchors = None  # the pattern is the match, not the phrases
        match = params.get("match")
        if isinstance(match, list) and all(isinstance(m, str) for m in match):
            pattern = "|".join(f"(?:{m})" for m in match)
        elif isinstance(match, str):
            pattern = match
        else:
            raise ConfigError(
                f"{where}: 'match' (a regex or list of regexes) or 'swap' is required"
            )
    regex = LazyPattern(pattern, where, flags)
    suggest = params.get("suggest", [])
    if isinstance(suggest, str):
        suggest = [suggest]
    if not isinstance(suggest, list) or not all(isinstance(s, str) for s in suggest):
        raise ConfigError(f"{where}: 'suggest' must be a string or a list of strings")
    mark = params.get("mark")
    if mark is not None and not isinstance(mark, int | str):
        raise ConfigError(f"{where}: 'mark' must be a group number or name")
    anchors = params.get("anchors")
    if anchors is not None and (
        not isinstance(anchors, list)
        or not anchors
        or not all(isinstance(a, str) and a for a in anchors)
    ):
        raise ConfigError(f"{where}: 'anchors' must be a list of non-empty strings")
    return PatternRule(
        meta=meta,
        pattern=regex,
        conditions=Conditions.from_params(params, where),
        templates=[Template(s) for s in suggest],
        swap=swap,
        mark=mark,
        anchors=frozenset(a.lower() for a in anchors) if anchors else phrases_anchors,
    )


def _escaped(phrase: str) -> str:
    """A literal phrase as a pattern (a space still matches any run of whitespace)."""
    return re.escape(phrase).replace(r"\ ", " ")


def _bounded(phrase: str) -> str:
    """A literal phrase with word boundaries at the ends that are word characters."""
    body = _escaped(phrase)
    head = r"(?<![\w-])" if phrase[:1].isalnum() else ""
    tail = r"(?![\w-])" if phrase[-1:].isalnum() else ""
    return f"{head}(?:{body}){tail}"
