"""``mtqa languagetool`` commands and the client's pure parts, through ``main(argv)``."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from mtqa.cli import main
from mtqa.languagetool import HOME_ENV
from mtqa.languagetool.client import (
    SEPARATOR,
    CheckOptions,
    make_batches,
    parse_matches,
    utf16_length,
    utf16_to_index,
)
from mtqa.languagetool.install import find_installation
from mtqa.languagetool.mapping import default_disabled, mqm_category, rule_name
from mtqa.languagetool.server import alive, free_port, read_state


def test_utf16_offsets() -> None:
    text = "a😀b𝄞c"
    convert = utf16_to_index(text)
    units = text.encode("utf-16-le")
    for index in range(len(text) + 1):
        assert convert(len(text[:index].encode("utf-16-le")) // 2) == index
    assert utf16_length(text) == len(units) // 2


def test_batches_respect_the_limit_and_order() -> None:
    sentences = ["x" * 40] * 10 + ["y" * 500] + ["z😀"]
    batches = make_batches(sentences, 100)
    assert [i for b in batches for i in b] == list(range(len(sentences)))
    for batch in batches:
        size = sum(utf16_length(sentences[i]) for i in batch) + len(SEPARATOR) * (len(batch) - 1)
        assert size <= 100 or len(batch) == 1


def test_parse_matches_splits_a_batch_back_into_sentences() -> None:
    sentences = ["Emoji 😀 a error.", "The goverment."]
    second = utf16_length(sentences[0]) + len(SEPARATOR)
    raw = [
        {"offset": 9, "length": 1, "message": "m", "replacements": [{"value": "an"}],
         "rule": {"id": "EN_A_VS_AN", "issueType": "misspelling", "category": {"id": "MISC"}}},
        {"offset": second + 4, "length": 9, "message": "m", "replacements": [],
         "rule": {"id": "MORFOLOGIK_RULE_EN_US", "issueType": "misspelling",
                  "category": {"id": "TYPOS"}}},
        {"offset": "junk"},
    ]
    first, other = parse_matches(raw, sentences)
    assert [sentences[0][m.offset : m.offset + m.length] for m in first] == ["a"]
    assert [sentences[1][m.offset : m.offset + m.length] for m in other] == ["goverment"]


def test_mapping_table() -> None:
    assert mqm_category("EN_A_VS_AN", "MISC", "misspelling") == "fluency/grammar"
    assert mqm_category("X", "TYPOS", "misspelling") == "fluency/spelling"
    assert mqm_category("X", "CASING", "typographical") == "fluency/capitalization"
    assert mqm_category("X", "TYPOGRAPHY", "whitespace") == "fluency/punctuation"
    assert mqm_category("X", "REDUNDANCY", "style") == "style/awkward"
    assert mqm_category("X", "MISC", "duplication") == "fluency/repetition"
    assert mqm_category("X", "NEW", "new") == "fluency/grammar"
    assert rule_name("MORFOLOGIK_RULE_EN_US") == "morfologik-rule-en-us"
    assert all(reason for reason in default_disabled().values())
    assert CheckOptions(picky=True).key() != CheckOptions().key()


@pytest.fixture
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "ltp"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home"


def test_install_without_maven_says_what_to_do(empty_home: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(empty_home))
    assert main(["languagetool", "install"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Maven" in err and "language-tool-python" in err and "MTQA_LANGUAGETOOL_URL" in err


def test_start_without_installation(empty_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["languagetool", "start", "--port", str(free_port())]) == 2
    assert "not installed" in capsys.readouterr().err


def test_start_rejects_bad_heap_and_busy_port(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["languagetool", "start", "--heap", "lots"]) == 2
    assert "heap" in capsys.readouterr().err
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["languagetool", "start", "--port", str(port)]) == 2
        assert "in use" in capsys.readouterr().err


def test_stop_and_status_without_a_server(empty_home: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    assert main(["languagetool", "stop", "--port", str(port)]) == 0
    assert "no LanguageTool server" in capsys.readouterr().out
    assert main(["languagetool", "status", "--port", str(port), "--json"]) == 1
    info = json.loads(capsys.readouterr().out)
    assert info["healthy"] is False and info["installed"] is None


def test_start_status_stop_a_real_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    if find_installation() is None:
        pytest.fail("LanguageTool is not installed: run `mtqa languagetool install`")
    monkeypatch.chdir(tmp_path)
    port = free_port()
    try:
        assert main(["languagetool", "start", "--port", str(port), "--heap", "768m"]) == 0
        state = read_state(port)
        assert state is not None and alive(state.pid)
        assert main(["languagetool", "start", "--port", str(port)]) == 0  # reused
        assert read_state(port) == state
        assert main(["languagetool", "status", "--port", str(port)]) == 0
        assert "answers" in capsys.readouterr().out
    finally:
        assert main(["languagetool", "stop", "--port", str(port)]) == 0
    assert "stopped" in capsys.readouterr().out
    assert not alive(state.pid) and read_state(port) is None
    assert os.getpid() != state.pid
