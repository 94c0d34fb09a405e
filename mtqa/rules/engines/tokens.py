"""Token patterns: a sequence of words, word lists, lemmas (all inflections) and gaps.

Parameters:
  tokens: a list of token specs, each one of
    - "word" or {word: "word"} / {word: [a, b]}: these exact words (any case);
    - {lemma: open} / {lemma: [open, throw]}: every inflection of these words;
    - {regex: "..."}: one word matching the regex;
    - {skip: N}: up to N arbitrary words.
    Any spec may add ``optional: true``.
  suggest: templates; ``{N}`` inserts token N (0-based), ``{make@N}`` inflects "make" like it.
  mark: [first, last] tokens that form the flagged span (default: all).
  unless / unless-before / unless-after / only-if: context conditions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mtqa.cache import WORD_FORMS
from mtqa.errors import ConfigError
from mtqa.rules.model import (
    CONDITION_KEYS,
    Conditions,
    LazyPattern,
    PatternRule,
    RuleMeta,
    Template,
    require,
)

KEYS = {"tokens", "suggest", "mark", *CONDITION_KEYS}
_GAP = r"[ \t\r\n\u00a0]+"


def _alternatives(words: list[str]) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", _GAP) for w in ordered)


def _token(spec: Any, index: int, where: str) -> tuple[str, str]:
    """(kind, regex body) of one token spec."""
    if isinstance(spec, str):
        spec = {"word": spec}
    if not isinstance(spec, dict):
        raise ConfigError(f"{where}: token {index} must be a word or a mapping")
    kinds = [k for k in ("word", "lemma", "regex", "skip") if k in spec]
    if len(kinds) != 1 or set(spec) - {"word", "lemma", "regex", "skip", "optional"}:
        raise ConfigError(f"{where}: token {index} needs exactly one of word, lemma, regex, skip")
    kind = kinds[0]
    value = spec[kind]
    if kind == "skip":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{where}: token {index}: skip must be a positive number")
        return "skip", rf"(?P<t{index}>(?:[^\W_][\w'’-]*{_GAP}){{0,{value}}})"
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise ConfigError(f"{where}: token {index}: {kind} must be a word or a list of words")
    if kind == "word":
        body = _alternatives(values)
    elif kind == "lemma":
        forms: list[str] = []
        for lemma in values:
            forms.extend(WORD_FORMS.forms(lemma))
        body = _alternatives(forms)
    else:
        body = "|".join(f"(?:{v})" for v in values)
    return ("optional" if spec.get("optional") else kind), rf"(?P<t{index}>{body})"


def _build(tokens: list[Any], mark: tuple[int, int], where: str) -> str:
    """One regex: every token but the last carries its trailing whitespace."""
    parsed = [_token(spec, i, where) for i, spec in enumerate(tokens)]
    if parsed[-1][0] in ("skip", "optional") or parsed[0][0] in ("skip", "optional"):
        raise ConfigError(f"{where}: the first and last tokens must be required words")
    first, last = mark
    pieces: list[str] = []
    for index, (kind, body) in enumerate(parsed):
        if index == last:
            piece = body + ")" + ("" if index == len(parsed) - 1 else _GAP)
        elif kind == "skip":
            piece = body
        elif kind == "optional":
            piece = f"(?:{body}{_GAP})?"
        else:
            # The final token carries no trailing whitespace even when the mark ends earlier.
            piece = body + ("" if index == len(parsed) - 1 else _GAP)
        if index == first:
            piece = "(?P<mark>" + piece
        pieces.append(piece)
    return r"(?<![\w'’-])" + "".join(pieces) + r"(?![\w'’-])"


def compile(meta: RuleMeta, params: Mapping[str, Any], where: str) -> PatternRule:
    """Compile the token list into one regular expression."""
    require(params, KEYS, where)
    tokens = params.get("tokens")
    if not isinstance(tokens, list) or not tokens:
        raise ConfigError(f"{where}: 'tokens' must be a non-empty list")
    mark = params.get("mark", [0, len(tokens) - 1])
    if (
        not isinstance(mark, list)
        or len(mark) != 2
        or not all(isinstance(m, int) and 0 <= m < len(tokens) for m in mark)
        or mark[0] > mark[1]
    ):
        raise ConfigError(f"{where}: 'mark' must be [first, last] token numbers")
    regex = LazyPattern(_build(tokens, (mark[0], mark[1]), where), where)
    suggest = params.get("suggest", [])
    if isinstance(suggest, str):
        suggest = [suggest]
    if not isinstance(suggest, list) or not all(isinstance(s, str) for s in suggest):
        raise ConfigError(f"{where}: 'suggest' must be a string or a list of strings")
    return PatternRule(
        meta=meta,
        pattern=regex,
        conditions=Conditions.from_params(params, where),
        templates=[Template(s, "t{}") for s in suggest],
        mark="mark",
    )
