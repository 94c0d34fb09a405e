"""Rule engines on small packs written for the test."""

from __future__ import annotations

from pathlib import Path

from mtqa.config import Config
from mtqa.core import check_text

PACK = """
pack: engine-tests
defaults:
  category: style/awkward
  severity: warning
  fix: unsafe
  message: test
  why: test
rules:
  - code: ET001
    name: either-verb
    extends: existence
    match:
      - '\\b(?P<a>improv(?:e|es|ed|ing)) and perfect\\w*'
      - '\\b(?P<b>perfect(?:s|ed|ing)?) and improv\\w*'
    suggest: ['{improve@a}{improve@b}']
  - code: ET002
    name: mark-before-last-token
    extends: tokens
    tokens:
      - {lemma: lengthen}
      - {word: the, optional: true}
      - {word: chain}
    mark: [0, 0]
    suggest: ['{extend@0}']
"""


def _check(tmp_path: Path, text: str, code: str) -> list:  # type: ignore[type-arg]
    pack = tmp_path / "engine-tests.yaml"
    pack.write_text(PACK, encoding="utf-8")
    config = Config(select=(code,), rule_packs=(pack,))
    return [f for f in check_text(text, config) if f.rule == code]


def test_inflection_of_a_group_that_did_not_match_is_empty(tmp_path: Path) -> None:
    first = _check(tmp_path, "We improved and perfected the law.", "ET001")
    second = _check(tmp_path, "The rules are perfected and improved.", "ET001")
    assert first[0].suggestions == ("improved",)
    assert second[0].suggestions == ("improved",)


def test_token_mark_before_the_last_token_matches_at_end_of_text(tmp_path: Path) -> None:
    at_end = _check(tmp_path, "They lengthened the chain", "ET002")
    mid = _check(tmp_path, "They lengthen the chain today.", "ET002")
    assert [f.text for f in at_end] == ["lengthened"]
    assert at_end[0].suggestions == ("extended",)
    assert [f.text for f in mid] == ["lengthen"]
    assert not _check(tmp_path, "They lengthen the chains.", "ET002")
