"""Every rule's own examples: each "flag" example is flagged, each "ok" example is not."""

from __future__ import annotations

import pytest

from mtqa.config import Config
from mtqa.core import check_text
from mtqa.model import Severity
from mtqa.rules.loader import load_rules
from mtqa.rules.model import Example

RULES = load_rules()


def _cases(kind: str) -> list[tuple[str, Example]]:
    return [
        (rule.meta.code, example)
        for rule in RULES
        for example in (rule.meta.flag if kind == "flag" else rule.meta.ok)
    ]


def test_packs_load_and_codes_are_unique() -> None:
    codes = [r.meta.code for r in RULES]
    assert len(codes) == len(set(codes))
    assert len(codes) >= 10


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.meta.code)
def test_every_rule_has_both_kinds_of_example(rule) -> None:  # type: ignore[no-untyped-def]
    assert rule.meta.flag, f"{rule.meta.code} has no example it must flag"
    assert rule.meta.ok, f"{rule.meta.code} has no example it must leave alone"
    assert rule.meta.why and rule.meta.message


@pytest.mark.parametrize(
    ("code", "example"), _cases("flag"), ids=lambda v: getattr(v, "text", v)[:50]
)
def test_flag_examples_are_flagged(code: str, example: Example) -> None:
    findings = [f for f in check_text(example.text, Config(select=(code,))) if f.rule == code]
    assert findings, f"{code} missed: {example.text!r}"
    if example.suggestion is not None:
        assert findings[0].suggestions, f"{code} gave no suggestion for {example.text!r}"
        assert findings[0].suggestions[0] == example.suggestion


@pytest.mark.parametrize(
    ("code", "example"), _cases("ok"), ids=lambda v: getattr(v, "text", v)[:50]
)
def test_ok_examples_are_left_alone_by_their_rule(code: str, example: Example) -> None:
    findings = [f for f in check_text(example.text, Config(select=(code,))) if f.rule == code]
    assert not findings, f"{code} false alarm on {example.text!r}: {findings[0].text!r}"


@pytest.mark.parametrize(
    ("code", "example"), _cases("ok"), ids=lambda v: getattr(v, "text", v)[:50]
)
def test_ok_examples_get_no_warning_from_any_rule(code: str, example: Example) -> None:
    config = Config(ignore=("LT", "RD"))
    loud = [f for f in check_text(example.text, config) if f.severity.rank >= Severity.WARNING.rank]
    assert not loud, f"{example.text!r} (ok for {code}) flagged by {loud[0].rule}: {loud[0].text!r}"
