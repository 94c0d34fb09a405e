"""Balance: quotation marks and brackets that open and never close (or the reverse).

Parameters:
  pairs: ``quotes`` (straight and curly double quotes) or ``brackets`` (() [] {}).
Checked per unit, so a quotation cannot be left open across paragraphs unnoticed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mtqa.errors import ConfigError
from mtqa.model import Finding
from mtqa.rules.model import RuleMeta, ScanContext, make_finding, require

KEYS = {"pairs"}
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}
# "a) first", "1) second", "iv) third", and smileys are not unbalanced brackets.
_LIST_MARKER = re.compile(r"(?:^|[\s(])(?:[a-zA-Z]|\d{1,3}|[ivxIVX]{1,4})$")
_SMILEY = re.compile(r"[:;=8]-?$")
_QUOTES = '"“”'
_QUOTE_CHARS = re.compile(f"[{_QUOTES}]")
_BRACKETS = "()[]{}"
_BRACKET_CHARS = re.compile(r"[()\[\]{}]")
_PAIRS = ("()", "[]", "{}")


@dataclass
class BalanceRule:
    """Unmatched quotation marks or brackets within one unit."""

    meta: RuleMeta
    pairs: str

    def scan(self, ctx: ScanContext) -> Iterator[Finding]:
        """A finding at each quote or bracket left without its partner."""
        document = ctx.document
        protected = ctx.protected(self.meta.protect)
        text = document.scan_text
        quotes = self.pairs == "quotes"
        # Visit only the units that contain a quote or bracket at all.
        for index in _units_holding(ctx, _QUOTES if quotes else _BRACKETS):
            unit = document.units[index]
            start, end = unit.offset, unit.offset + len(unit.target)
            # Quotes and brackets inside code, or mentioned as characters ("U+0022 (")"),
            # are not punctuation of the sentence.
            body = _mask(text, start, end)
            if quotes:
                if body.count('"') % 2 == 0 and "“" not in body and "”" not in body:
                    continue  # paired straight quotes and no curly ones: nothing to report
                found = self._quotes(body, 0, len(body))
            elif _balanced(body):
                continue
            else:
                found = self._brackets(body, 0, len(body))
            for relative, partner in found:
                offset = start + relative
                if protected and protected.overlaps(offset, offset + 1):
                    continue
                message = self.meta.message.replace("{text}", text[offset]).replace(
                    "{partner}", partner
                )
                yield make_finding(self.meta, offset, offset + 1, text[offset], (), message=message)

    @staticmethod
    def _quotes(text: str, start: int, end: int) -> list[tuple[int, str]]:
        problems: list[tuple[int, str]] = []
        marks = [m.start() for m in _QUOTE_CHARS.finditer(text, start, end)]
        straight = [i for i in marks if text[i] == '"']
        if len(straight) % 2:
            problems.append((straight[-1], '"'))
        stack: list[int] = []
        for i in marks:
            ch = text[i]
            if ch == "“":
                stack.append(i)
            elif ch == "”":
                if stack:
                    stack.pop()
                else:
                    problems.append((i, "“"))
        problems.extend((i, "”") for i in stack)
        return problems

    @staticmethod
    def _brackets(text: str, start: int, end: int) -> list[tuple[int, str]]:
        problems: list[tuple[int, str]] = []
        stack: list[int] = []
        for match in _BRACKET_CHARS.finditer(text, start, end):
            i = match.start()
            ch = text[i]
            if ch in _OPEN:
                stack.append(i)
            elif ch in _CLOSE:
                if stack and text[stack[-1]] == _CLOSE[ch]:
                    stack.pop()
                    continue
                before = text[max(start, i - 6) : i]
                if _LIST_MARKER.search(before) or _SMILEY.search(before):
                    continue
                problems.append((i, _CLOSE[ch]))
        problems.extend((i, _OPEN[text[i]]) for i in stack)
        return problems


def _units_holding(ctx: ScanContext, chars: str) -> list[int]:
    """Indices of the units whose text holds one of ``chars``, ascending.

    ``str.find`` skips to the next such character several times faster than a regex scan for
    a character class, and after a hit the search resumes at the next unit.
    """
    document = ctx.document
    text = document.scan_text
    starts: list[int] | None = ctx.cache.get("balance:starts")
    if starts is None:
        starts = document.unit_starts
        ctx.cache["balance:starts"] = starts
    ordered = ctx.cache.get("balance:ordered")
    if ordered is None:
        ordered = starts == sorted(starts)
        ctx.cache["balance:ordered"] = ordered
    found: set[int] = set()
    for char in chars:
        position = text.find(char)
        while position >= 0:
            index = bisect_right(starts, position) - 1
            found.add(index)
            # With units in order, every position before the next unit's start is in this one.
            resume = starts[index + 1] if ordered and 0 <= index < len(starts) - 1 else 0
            position = text.find(char, max(position + 1, resume))
    return sorted(found)


def _balanced(body: str) -> bool:
    """True when the brackets of ``body`` nest properly: then no bracket is reported.

    Removing adjacent matching pairs until none is left empties the bracket sequence exactly
    when the stack in :meth:`BalanceRule._brackets` never meets a stray closer and ends empty.
    """
    sequence = "".join(_BRACKET_CHARS.findall(body))
    while sequence:
        shorter = sequence.replace("()", "").replace("[]", "").replace("{}", "")
        if len(shorter) == len(sequence):
            return False
        sequence = shorter
    return True


_MENTIONED = re.compile(r"\(\\?[\"'“”()\[\]{}<>]\)|([\"'`])[()\[\]{}\"“”]\1")
_CODE_SPAN = re.compile(r"(`+)[^\n\x00]*?(?<!`)\1(?!`)")


def _mask(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with code spans and mentioned punctuation blanked out."""
    body = text[start:end]
    if "`" not in body and "(" not in body and "'" not in body and '"' not in body:
        return body
    if "`" in body:
        body = _CODE_SPAN.sub(lambda m: " " * len(m.group()), body)
    return _MENTIONED.sub(lambda m: " " * len(m.group()), body)


def compile(meta: RuleMeta, params: Mapping[str, Any], where: str) -> BalanceRule:
    """Build a quote or bracket balance rule."""
    require(params, KEYS, where)
    pairs = params.get("pairs")
    if pairs not in ("quotes", "brackets"):
        raise ConfigError(f"{where}: 'pairs' must be quotes or brackets")
    return BalanceRule(meta, str(pairs))
