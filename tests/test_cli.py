"""The command line, through ``main(argv)``: exit codes, formats, bad input."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mtqa.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

SEED = SAMPLES / "liaoning-symposium.txt"
CLEAN = SAMPLES / "clean-northeast-revival.txt"
OFFLINE = ["--grammar", "off"]


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["check", "--format", "json", *OFFLINE, *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_seed_article_fails_with_repetition_and_calques(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(capsys, str(SEED))
    assert code == 1
    findings = report["findings"]
    realistic = [f for f in findings if f["text"] == "realistic and realistic"]
    assert realistic and realistic[0]["category"] == "fluency/repetition"
    assert realistic[0]["suggestions"][0] == "realistic and practical"
    calques = {f["rule"] for f in findings if f["category"] == "style/awkward" and f["suggestions"]}
    assert len(calques) >= 8, sorted(calques)


def test_clean_sample_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(capsys, str(CLEAN))
    loud = [f for f in report["findings"] if f["severity"] in ("error", "warning")]
    assert loud == []
    assert code == 0


def test_finding_shape_and_positions(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = run_json(capsys, str(SEED))
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert report["version"] == 1
    for f in report["findings"]:
        for key in (
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "offset",
            "length",
            "rule",
            "name",
            "category",
            "severity",
            "message",
            "text",
            "suggestions",
        ):
            assert key in f
        assert text[f["offset"] : f["offset"] + f["length"]] == f["text"]
        assert lines[f["line"] - 1][f["column"] - 1 :].startswith(f["text"].split("\n")[0])
    assert report["summary"]["files"] == 1
    assert report["summary"]["checkers"]["rules"]["status"] == "ran"
    assert "flesch_reading_ease" in report["summary"]["readability"][str(SEED)]


def test_text_format_is_compiler_style(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", *OFFLINE, "--color", "never", str(SEED)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert any(
        line.startswith(f"{SEED}:9:")
        and " RP002 fluency/repetition: " in line
        and "→ realistic and practical" in line
        for line in out
    )
    assert out[-1].startswith("Found ")


def test_select_ignore_and_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = run_json(capsys, "--select", "RP", str(SEED))
    assert {f["rule"][:2] for f in report["findings"]} == {"RP"}
    _, report = run_json(capsys, "--ignore", "RP,ZH,RD,TY,UT,CN,NM", str(SEED))
    assert not [f for f in report["findings"] if f["checker"] == "rules"]
    code, _ = run_json(capsys, "--select", "RD", "--fail-on", "error", str(SEED))
    assert code == 0
    code, _ = run_json(capsys, "--select", "RD", "--fail-on", "never", str(SEED))
    assert code == 0
    code, _ = run_json(capsys, "--select", "RD", "--fail-on", "warning", str(SEED))
    assert code == 1


def test_output_file_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    code = main(["check", *OFFLINE, "--format", "json", "-o", str(out), str(SEED)])
    assert code == 1
    assert capsys.readouterr().out == ""
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    data = b"We must be realistic and realistic.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code = main(["check", *OFFLINE, "--format", "json", "-"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["findings"][0]["path"] == "-"
    assert report["findings"][0]["text"] == "realistic and realistic"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("latin1.txt", "Caf\u00e9 society.".encode("latin-1"), "not UTF-8"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \n", "empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_2_while_others_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("The the plan.\n", encoding="utf-8")
    code = main(["check", *OFFLINE, "--format", "json", str(bad), str(good)])
    captured = capsys.readouterr()
    assert code == 2
    errors = [line for line in captured.err.splitlines() if line.strip()]
    assert len(errors) == 1 and message in errors[0] and name in errors[0]
    assert "Traceback" not in captured.err
    report = json.loads(captured.out)
    assert [f["rule"] for f in report["findings"]] == ["RP001"]  # the good file was still checked


def test_missing_path_and_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *OFFLINE, str(tmp_path / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "image.png").write_bytes(b"\x89PNG")
    assert main(["check", *OFFLINE, str(tmp_path / "sub")]) == 2
    assert "no files mtqa can check" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_bom_encodings_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bom: bytes, encoding: str
) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(bom + "Exports grew in in March.\n".encode(encoding))
    code, report = run_json(capsys, str(path))
    assert code == 1
    (finding,) = report["findings"]
    assert finding["text"] == "in in" and finding["column"] == 14 and finding["offset"] == 13


def test_folder_is_walked_recursively(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.md").write_text("# Title\n\nThe the end.\n", encoding="utf-8")
    (tmp_path / "a" / "top.txt").write_text("Fine text.\n", encoding="utf-8")
    (tmp_path / "a" / ".hidden.txt").write_text("The the.\n", encoding="utf-8")
    code, report = run_json(capsys, str(tmp_path / "a"))
    assert code == 1
    assert report["summary"]["files"] == 2
    assert [Path(f["path"]).name for f in report["findings"]] == ["deep.md"]


def test_markdown_skips_code_and_maps_offsets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "# Report\n\n```\nthe the\n```\n\n"
        "Some `the the` code, and\na wrapped line with the the slip.\n"
    )
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    _, report = run_json(capsys, str(path))
    (finding,) = report["findings"]
    assert finding["line"] == 8 and text[finding["offset"] : finding["offset"] + 7] == "the the"


def test_tsv_checks_only_targets_and_reports_segment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("the the source\tA clean target.\n源文\tThe the target.\n", encoding="utf-8")
    _, report = run_json(capsys, str(path))
    (finding,) = report["findings"]
    assert finding["segment"] == "2" and finding["line"] == 2 and finding["text"] == "The the"


def test_bad_configuration_names_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mtqa.toml").write_text('fail-on = "warning"\nselectt = ["RP"]\n', encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text("The the plan.\n", encoding="utf-8")
    assert main(["check", *OFFLINE, str(doc)]) == 2
    err = capsys.readouterr().err
    assert "selectt" in err and len(err.strip().splitlines()) == 1


def test_configuration_is_discovered_from_pyproject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mtqa]\nignore = ["RP001"]\n[tool.mtqa.severity]\nRP = "error"\n', encoding="utf-8"
    )
    (tmp_path / "docs").mkdir()
    doc = tmp_path / "docs" / "doc.txt"
    doc.write_text("The the plan is bold and bold.\n", encoding="utf-8")
    _, report = run_json(capsys, str(doc))
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("RP002", "error")]


def test_rules_command_lists_and_explains(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "RP002" in listing and "coordinated-duplicate" in listing
    assert main(["rules", "RP002"]) == 0
    explained = capsys.readouterr().out
    assert "realistic and realistic" in explained and "more and more" in explained
    assert main(["rules", "XX999"]) == 2


def test_version_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "mtqa" in capsys.readouterr().out
    assert main(["check"]) == 2
    assert main(["check", "--format", "nope", str(SEED)]) == 2
    assert main(["frobnicate"]) == 2


def test_python_dash_m_and_console_script() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mtqa", "check", "--grammar", "off", "--select", "RP", str(SEED)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "RP002" in result.stdout


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from mtqa.cli import main; main(['--help']); "
        "heavy = [m for m in ('textstat', 'lemminflect', 'ahocorasick', 'ahocorasick_rs', 'yaml', "
        "'translate', "
        "'sacrebleu', 'language_tool_python', 'lxml', 'requests') if m in sys.modules]; "
        "print('HEAVY', heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_rule_reference_in_docs_is_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "markdown"]) == 0
    generated = capsys.readouterr().out
    docs = (SAMPLES.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    assert generated == docs, "run: mtqa rules --format markdown > docs/rules.md"


def test_statistics_counts_findings_per_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", *OFFLINE, "--statistics", str(SEED)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    counts = {line.split()[1]: int(line.split()[0]) for line in lines[:-1]}
    assert counts["RD001"] == 6 and counts["RP002"] == 1
    assert list(counts.values()) == sorted(counts.values(), reverse=True)
    assert lines[-1].startswith("Found ")
