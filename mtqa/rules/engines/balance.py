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
_QUOTE_CHARS = re.compile(r'["“”]')
_BRACKET_CHARS = re.compile(r"[()\[\]{}]")


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
        chars = _QUOTE_CHARS if self.pairs == "quotes" else _BRACKET_CHARS
        # Visit only the units that contain a quote or bracket at all.
        starts = [u.offset for u in document.units]
        units = sorted({bisect_right(starts, m.start()) - 1 for m in chars.finditer(text)})
        for index in units:
            unit = document.units[index]
            start, end = unit.offset, unit.offset + len(unit.target)
            # Quotes and brackets inside code, or mentioned as characters ("U+0022 (")"),
            # are not punctuation of the sentence.
            body = _mask(text, start, end)
            found = (
                self._quotes(body, 0, len(body))
                if self.pairs == "quotes"
                else self._brackets(body, 0, len(body))
            )
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


_MENTIONED = re.compile(r"\(\\?[\"'“”()\[\]{}<>]\)|([\"'`])[()\[\]{}\"“”]\1")
_CODE_SPAN = re.compile(r"(`+)[^\n\x00]*?(?<!`)\1(?!`)")


def _mask(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with code spans and mentioned punctuation blanked out."""
    body = text[start:end]
    if "`" not in body and "(" not in body and "'" not in body and '"' not in body:
        return body
    body = _CODE_SPAN.sub(lambda m: " " * len(m.group()), body)
    return _MENTIONED.sub(lambda m: " " * len(m.group()), body)


def compile(meta: RuleMeta, params: Mapping[str, Any], where: str) -> BalanceRule:
    """Build a quote or bracket balance rule."""
    require(params, KEYS, where)
    pairs = params.get("pairs")
    if pairs not in ("quotes", "brackets"):
        raise ConfigError(f"{where}: 'pairs' must be quotes or brackets")
    return BalanceRule(meta, str(pairs))
