"""The consistency engine (CN001) and the pinyin name rule (NM001) on small documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtqa.config import Config
from mtqa.core import check_text
from mtqa.errors import ConfigError
from mtqa.rules.loader import load_pack

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _cn(text: str) -> list[tuple[str, tuple[str, ...]]]:
    findings = check_text(text, Config(select=("CN001",)))
    return [(f.text, f.suggestions) for f in findings if f.rule == "CN001"]


def test_mixed_case_variant_gets_the_title_case_form() -> None:
    text = (
        "Zhang Guoqing, secretary of the Provincial Party Committee, spoke.\n"
        "Zhou Bo, deputy secretary of the provincial party Committee, attended.\n"
    )
    assert _cn(text) == [("provincial party Committee", ("Provincial Party Committee",))]


def test_variant_after_a_connector() -> None:
    text = "The Ministry of Finance agreed. Staff at the Ministry of finance did not."
    assert _cn(text) == [("Ministry of finance", ("Ministry of Finance",))]


def test_variant_more_common_than_title_case_is_left_alone() -> None:
    text = (
        "The Provincial Party Committee met.\n"
        "Then the provincial party Committee voted.\n"
        "Later the provincial party Committee adjourned.\n"
    )
    assert _cn(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # generic lowercase use
        "Every province has a five-year plan. The 14th Five-Year Plan starts in 2021.",
        # a capitalised adjective before a common noun is ordinary English
        "The Russian Government met. The Russian government then resigned.",
        # geographic modifiers and titles before names
        "Fires hit Southern California. Many in southern California left.",
        "Governor Andrew Cuomo spoke. Former governor Andrew Cuomo left.",
        # "the city of Tallinn" is a common noun before a name
        "The City of Tallinn sued. He lives in the city of Tallinn.",
        # a sentence-initial word is capitalised for grammar
        "Thank God it rained. We thank God for the rain.",
        # the variant continues into a longer name: "his mother Mary Scranton"
        "Mother Mary is a hymn. He visited his mother Mary Scranton.",
        # all-caps emphasis says nothing
        "The Provincial Party Committee met. Then the PROVINCIAL PARTY Committee ate.",
    ],
)
def test_false_alarm_traps(text: str) -> None:
    assert _cn(text) == []


def test_title_case_heading_does_not_count() -> None:
    text = "Provincial Party Committee Holds Plenary Session\nThe provincial party Committee met.\n"
    assert _cn(text) == []
    # the same body text with a Title Case sentence elsewhere is flagged
    text += "It was chaired by the Provincial Party Committee secretary.\n"
    assert [t for t, _ in _cn(text)] == ["provincial party Committee"]


def test_samples() -> None:
    symposium = (SAMPLES / "liaoning-symposium.txt").read_text(encoding="utf-8")
    clean = (SAMPLES / "clean-northeast-revival.txt").read_text(encoding="utf-8")
    assert [t for t, _ in _cn(symposium)] == ["provincial party Committee"]
    assert _cn(clean) == []


def test_fix_is_unsafe_and_spans_the_variant() -> None:
    text = "The Belt and Road forum opened. Many belt and Road projects were signed."
    findings = [f for f in check_text(text, Config(select=("CN001",))) if f.rule == "CN001"]
    assert len(findings) == 1
    finding = findings[0]
    assert text[finding.offset : finding.end] == "belt and Road"
    assert finding.fix is not None and finding.fix.applicability.value == "unsafe"


def test_bad_parameters_are_config_errors(tmp_path: Path) -> None:
    pack = tmp_path / "bad.yaml"
    for params in ("max-words: 1", "heading-ratio: 2", "connectors: of", "colour: red"):
        pack.write_text(
            "pack: bad\nrules:\n  - {code: XX001, name: x, extends: consistency,"
            " category: fluency/inconsistency, severity: warning, message: m, why: w, "
            + params
            + "}\n",
            encoding="utf-8",
        )
        with pytest.raises(ConfigError):
            load_pack(pack)


def _nm(text: str) -> list[tuple[str, tuple[str, ...]]]:
    findings = check_text(text, Config(select=("NM001",)))
    return [(f.text, f.suggestions) for f in findings if f.rule == "NM001"]


def test_pinyin_given_name_is_capitalised() -> None:
    assert _nm("Zhou bo attended.") == [("bo", ("Bo",))]
    assert _nm("They met Wang xiaoming.") == [("xiaoming", ("Xiaoming",))]


@pytest.mark.parametrize(
    "text",
    [
        "He said Li is right.",
        "Li ran the meeting.",
        "Sun rose early; Fan and Long sang; Ding dong.",
        "Wang led the team and Zhang won.",
        "The plant in Hu bei province closed.",
        "They sang wo ai Li bo ming.",  # lowercase pinyin around it: transliterated Chinese
        "Zhou Bo and Wang Xiaoming attended.",
    ],
)
def test_pinyin_traps(text: str) -> None:
    assert _nm(text) == []
