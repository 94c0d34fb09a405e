"""LanguageTool against a real server (the ``languagetool_url`` fixture in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtqa.config import Config, LanguageToolConfig
from mtqa.core import check_documents
from mtqa.formats.plain import read_text
from mtqa.formats.tsv import read_tsv
from mtqa.languagetool import URL_ENV
from mtqa.model import Applicability, Finding

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _server(languagetool_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(URL_ENV, languagetool_url)
    monkeypatch.chdir(tmp_path)


def lt_findings(text: str, **lt: object) -> list[Finding]:
    config = Config(select=("LT",), grammar="required", no_cache=True,
                    languagetool=LanguageToolConfig(**lt))  # type: ignore[arg-type]
    return check_documents([read_text("t.txt", text)], config).findings


def test_grammar_spelling_punctuation_with_first_replacement() -> None:
    text = ("It was a important meeting.\n"
            "The goverment will announce the plan tomorrow.\n"
            "The forum ended , and the experts went home.\n")
    found = {(f.category, f.text, f.suggestions[0]) for f in lt_findings(text)}
    assert ("fluency/grammar", "a", "an") in found
    assert ("fluency/spelling", "goverment", "government") in found
    assert ("fluency/punctuation", " ,", ",") in found


def test_offsets_after_characters_outside_the_bmp() -> None:
    text = "Smile 😀😀 then a important thing.\n"
    (finding,) = [f for f in lt_findings(text) if f.rule == "LTEN_A_VS_AN"]
    assert finding.text == "a"
    assert text[finding.offset : finding.end] == "a"
    assert finding.column == text.index(" a ") + 2


def test_finding_shape_and_fix() -> None:
    (finding,) = [f for f in lt_findings("The goverment will decide.\n")]
    assert finding.rule == "LTMORFOLOGIK_RULE_EN_US"
    assert finding.name == "morfologik-rule-en-us"
    assert finding.checker == "languagetool"
    assert finding.severity.value == "warning"
    assert 1 <= len(finding.suggestions) <= 5
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert finding.fix.edits[0].replacement == "government"


def test_rule_configuration() -> None:
    text = "The goverment will decide.\n"
    assert not lt_findings(text, disabled_rules=("MORFOLOGIK_RULE_EN_US",))
    assert not lt_findings(text, disabled_categories=("TYPOS",))
    # a rule disabled by default runs again when enabled by name
    ranges = "He was 16-17 years old.\n"
    assert not [f for f in lt_findings(ranges) if f.rule == "LTHYPHEN_TO_EN"]
    assert [f for f in lt_findings(ranges, enabled_rules=("HYPHEN_TO_EN",))
            if f.rule == "LTHYPHEN_TO_EN"]


def test_names_inside_sentences_are_not_spelling_errors_by_default() -> None:
    text = "Yesterday Patriarch Kirill met Vladimir Yumashev in Moscow.\n"
    assert not lt_findings(text)
    assert {f.text for f in lt_findings(text, spellcheck_names=True)} >= {"Yumashev"}


def test_language_variant() -> None:
    text = "The colour of the centre is grey.\n"
    assert not lt_findings(text, language="en-GB")
    assert {f.category for f in lt_findings(text, language="en-US")} == {"fluency/spelling"}


def test_tsv_source_column_is_never_sent(tmp_path: Path) -> None:
    document = read_tsv("t.tsv", "Il goverment a important.\tThe plan was adopted.\n")
    config = Config(select=("LT",), grammar="required", no_cache=True)
    result = check_documents([document], config)
    assert result.findings == []
    assert result.summary["checkers"]["languagetool"]["sentences"] == 1


def test_languagetool_yields_to_builtin_finding_of_same_category() -> None:
    text = "The forum ended , and the experts left.\n"
    config = Config(grammar="required", no_cache=True)
    findings = check_documents([read_text("t.txt", text)], config).findings
    rules = [f.rule for f in findings if f.category == "fluency/punctuation"]
    assert rules == ["TY002"]


def test_clean_sample_has_no_warnings() -> None:
    from mtqa.core import check_paths

    cleans = sorted((ROOT / "samples").glob("clean-*.txt"))
    assert cleans, "samples/clean-*.txt is missing"
    config = Config(grammar="required", no_cache=True)
    result = check_paths([str(p) for p in cleans], config)
    assert result.summary["checkers"]["languagetool"]["status"] == "ran"
    assert [f for f in result.findings if f.severity.value != "info"] == []


def test_liaoning_sample_languagetool_beside_builtin_without_duplicates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from mtqa.cli import main

    sample = ROOT / "samples" / "liaoning-symposium.txt"
    code = main(["check", str(sample), "--format", "json", "--grammar", "required",
                 "--no-cache"])
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    findings = report["findings"]
    lt = [f for f in findings if f["rule"].startswith("LT")]
    builtin = [f for f in findings if not f["rule"].startswith("LT")]
    assert lt and builtin
    assert report["summary"]["checkers"]["languagetool"]["status"] == "ran"
    spans = [(f["rule"], f["offset"], f["length"]) for f in findings]
    assert len(spans) == len(set(spans))
    for f in lt:
        for b in builtin:
            f_end, b_end = f["offset"] + f["length"], b["offset"] + b["length"]
            overlap = b["offset"] < f_end and f["offset"] < b_end
            assert not (overlap and b["category"] == f["category"]), (f, b)


def test_findings_in_several_documents_carry_their_paths() -> None:
    documents = [
        read_text("a.txt", "The goverment will meet.\n"),
        read_text("b.txt", "It was a important meeting.\n"),
    ]
    config = Config(select=("LT",), grammar="required", no_cache=True)
    findings = check_documents(documents, config).findings
    assert [(f.path, f.text) for f in findings] == [("a.txt", "goverment"), ("b.txt", "a")]


def test_mentions_code_and_names_are_not_spelling_errors() -> None:
    text = (
        'The word "xiaokang" is usually translated as "moderately prosperous".\n'
        "The function `len(x)` returns the number of items.\n"
        "Cai Qi heads the General Office.\n"
    )
    assert [f.text for f in lt_findings(text) if f.category == "fluency/spelling"] == []
    assert [f.text for f in lt_findings("The goverment met.\n")] == ["goverment"]
