"""``mtqa glossary ...`` and ``mtqa check --glossary`` through ``main(argv)``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mtqa.cli import main
from mtqa.glossary import read_glossary

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "glossary"
GLOSSARY = ROOT / "glossaries" / "zh-en-governance.tbx"
SAMPLE = ROOT / "samples" / "liaoning-symposium.txt"
CLEAN = ROOT / "samples" / "clean-northeast-revival.txt"


def test_check_flags_the_sample_articles_terms(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    code = main(
        [
            "check",
            "--select",
            "GL",
            "--no-cache",
            "--format",
            "json",
            "-o",
            str(out),
            "--glossary",
            str(GLOSSARY),
            str(SAMPLE),
        ]
    )
    assert code == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    found = {f["text"]: f["suggestions"][0] for f in report["findings"]}
    assert found["structural reform on the supply side"] == "supply-side structural reform"
    assert found["new development concept"] == "new development philosophy"
    assert found["combination of production, teaching and research"] == (
        "industry-university-research collaboration"
    )
    assert all(f["category"] == "terminology" and f["rule"] == "GL001" for f in report["findings"])
    assert report["summary"]["checkers"]["glossary"]["status"] == "ran"


def test_clean_sample_has_no_terminology_findings(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    main(
        [
            "check",
            "--select",
            "GL",
            "--format",
            "json",
            "-o",
            str(out),
            "--glossary",
            str(GLOSSARY),
            str(CLEAN),
        ]
    )
    assert json.loads(out.read_text(encoding="utf-8"))["findings"] == []


def test_check_without_glossary_skips_the_checker(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    main(["check", "--select", "GL", "--format", "json", "-o", str(out), str(CLEAN)])
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
    assert summary["checkers"]["glossary"] == {
        "status": "skipped",
        "reason": "no glossary configured",
    }


def test_check_with_broken_glossary_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.tbx"
    bad.write_text("<martif><text><body></martif>", encoding="utf-8")
    assert main(["check", "--glossary", str(bad), str(CLEAN)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"mtqa: error: {bad}:1: malformed XML") and "\n" not in err


def test_configured_glossaries_and_precedence(tmp_path: Path) -> None:
    (tmp_path / "strict.csv").write_text(
        "source,target,status\n,new normal,deprecated\n", encoding="utf-8"
    )
    (tmp_path / "relaxed.csv").write_text(
        "source,target,status\n,new normal,preferred\n", encoding="utf-8"
    )
    doc = tmp_path / "doc.txt"
    doc.write_text("China entered a new normal.\n", encoding="utf-8")
    config = tmp_path / "mtqa.toml"
    config.write_text('glossaries = ["strict.csv", "relaxed.csv"]\n', encoding="utf-8")
    assert main(["check", "--select", "GL", "--no-cache", str(doc)]) == 0
    config.write_text(
        'glossaries = ["strict.csv", "relaxed.csv"]\n[glossary]\nprecedence = "first"\n',
        encoding="utf-8",
    )
    assert main(["check", "--select", "GL", "--no-cache", str(doc)]) == 1
    config.write_text('glossaries = ["relaxed.csv"]\n', encoding="utf-8")
    assert (
        main(
            [
                "check",
                "--select",
                "GL",
                "--no-cache",
                "--glossary",
                str(tmp_path / "strict.csv"),
                str(doc),
            ]
        )
        == 1
    )


def test_lint_finds_planted_problems(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "lint", str(DATA / "conflicts.csv")]) == 1
    out = capsys.readouterr().out
    expected = {
        3: "duplicate",
        5: "near-duplicate",
        7: "conflicting-preferred",
        8: "forbids-itself",
        10: "preferred-and-deprecated",
        11: "empty-term",
        12: "unknown-status",
        13: "stray-whitespace",
        15: "inconsistent-case",
        16: "invalid-value",
    }
    for line, kind in expected.items():
        assert f"conflicts.csv:{line}: {kind}:" in out, f"line {line} {kind} missing:\n{out}"


def test_lint_clean_glossaries(capsys: pytest.CaptureFixture[str]) -> None:
    files = [
        str(GLOSSARY),
        str(GLOSSARY.with_suffix(".csv")),
        str(DATA / "basic-multiterm.tbx"),
        str(DATA / "v3-dca.tbx"),
        str(DATA / "examples.csv"),
    ]
    assert main(["glossary", "lint", *files]) == 0
    assert capsys.readouterr().out == ""


def test_lint_conflicts_across_entries_in_tbx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (DATA / "basic-multiterm.tbx").read_text(encoding="utf-8")
    planted = text.replace("<term>新发展理念</term>", "<term>供给侧结构性改革</term>")
    path = tmp_path / "planted.tbx"
    path.write_text(planted, encoding="utf-8")
    assert main(["glossary", "lint", "--format", "json", str(path)]) == 1
    issues = json.loads(capsys.readouterr().out)["issues"]
    assert any(i["kind"] == "conflicting-preferred" and i["line"] == 51 for i in issues), issues


def test_convert_round_trip_through_the_cli(tmp_path: Path) -> None:
    csv_path, tbx3 = tmp_path / "g.csv", tmp_path / "g3.tbx"
    assert main(["glossary", "convert", str(DATA / "basic-multiterm.tbx"), str(csv_path)]) == 0
    assert main(["glossary", "convert", str(csv_path), str(tbx3), "--tbx-version", "3"]) == 0
    assert tbx3.read_text(encoding="utf-8").count("<conceptEntry") == 5
    back = tmp_path / "back.csv"
    assert main(["glossary", "convert", str(tbx3), str(back)]) == 0
    assert back.read_text(encoding="utf-8") == csv_path.read_text(encoding="utf-8")
    assert main(["glossary", "convert", str(csv_path), str(tmp_path / "g.xlsx")]) == 2


def test_merge_reports_conflicts_and_prefer_settles_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text(
        "source:zh,target,status\n新发展理念,new development philosophy,preferred\n"
        "实体经济,real economy,preferred\n",
        encoding="utf-8",
    )
    b.write_text(
        "source:zh,target,status\n新发展理念,new development concept,preferred\n"
        "河长制,river chief system,preferred\n",
        encoding="utf-8",
    )
    out = tmp_path / "merged.tbx"
    assert main(["glossary", "merge", str(a), str(b), "-o", str(out)]) == 1
    report = capsys.readouterr()
    assert "conflict: 新发展理念" in report.out and "unresolved" in report.out
    assert not out.exists()
    assert main(["glossary", "merge", str(a), str(b), "-o", str(out), "--prefer", str(a)]) == 0
    merged = read_glossary(out)
    assert len(merged.entries) == 3
    first = merged.entries[0].in_lang("en")
    assert [(t.text, t.status) for t in first] == [
        ("new development philosophy", "preferred"),
        ("new development concept", "admitted"),
    ]
    assert main(["glossary", "merge", str(a), str(b), "-o", str(out), "--prefer", "other.csv"]) == 2


def test_find_exact_and_fuzzy(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["glossary", "find", "structural reforms on the supply side", "-g", str(GLOSSARY)])
        == 0
    )
    out = capsys.readouterr().out
    assert "供给侧结构性改革 -> supply-side structural reform  [exact" in out
    assert main(["glossary", "find", "new developement philosphy", "-g", str(GLOSSARY)]) == 0
    assert "新发展理念 -> new development philosophy  [fuzzy" in capsys.readouterr().out
    assert main(["glossary", "find", "新发展理念", "-g", str(GLOSSARY), "--format", "json"]) == 0
    [hit] = [r for r in json.loads(capsys.readouterr().out) if r["how"] == "exact"]
    assert any(
        t["text"] == "new development concept" and t["status"] == "deprecated" for t in hit["terms"]
    )
    assert main(["glossary", "find", "zzzzqqq", "-g", str(GLOSSARY)]) == 1


def test_stats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "stats", "--format", "json", str(GLOSSARY)]) == 0
    [stats] = json.loads(capsys.readouterr().out)
    assert stats["entries"] >= 150 and stats["statuses"]["deprecated"] > 50
    assert main(["glossary", "stats", str(DATA / "examples.csv")]) == 0
    assert "entries: 6" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["examples.csv", "basic-multiterm.tbx", "v3-dca.tbx"])
def test_add_appends_atomically_and_refuses_duplicates(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    shutil.copy(DATA / name, path)
    before = path.read_text(encoding="utf-8")
    assert (
        main(
            [
                "glossary",
                "add",
                str(path),
                "--source",
                "河长制",
                "--target",
                "river chief system",
                "--forbidden",
                "river length system",
                "--note",
                "added by a test",
            ]
        )
        == 0
    )
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip().rsplit("</body>", 1)[0].rstrip()[:200])
    glossary = read_glossary(path)
    entry = glossary.entries[-1]
    assert [(t.text, t.status) for t in entry.in_lang("en")] == [
        ("river chief system", "preferred"),
        ("river length system", "forbidden"),
    ]
    assert (
        main(["glossary", "add", str(path), "--source", "河长制", "--target", "River Chief System"])
        == 2
    )
    assert (
        main(
            [
                "glossary",
                "add",
                str(path),
                "--source",
                "河长制",
                "--target",
                "river length system",
            ]
        )
        == 2
    )
    assert path.read_text(encoding="utf-8") == after
    assert main(["glossary", "lint", str(path)]) == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_help_lists_glossary_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "--help"]) == 0
    out = capsys.readouterr().out
    for name in ("lint", "merge", "convert", "find", "stats", "add"):
        assert name in out


def test_glossary_findings_in_several_files_carry_their_paths(tmp_path: Path) -> None:
    import json as json_module

    from mtqa.cli import main as cli_main

    root = Path(__file__).resolve().parent.parent
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(
            "We will deepen structural reform on the supply side.\n", encoding="utf-8"
        )
    out = tmp_path / "report.json"
    code = cli_main([
        "check", "--grammar", "off", "--select", "GL", "--format", "json", "-o", str(out),
        "--glossary", str(root / "glossaries" / "zh-en-governance.tbx"),
        str(tmp_path / "a.txt"), str(tmp_path / "b.txt"),
    ])
    assert code == 1
    paths = [Path(f["path"]).name for f in json_module.loads(out.read_text())["findings"]]
    assert paths == ["a.txt", "b.txt"]
