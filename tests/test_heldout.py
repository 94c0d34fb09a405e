"""Held-out evaluation: data written independently of the rule packs.

* ``tests/data/heldout/good.txt`` -- one correct English sentence per line, full of
  legitimate repetitions, idioms and look-alike phrases; nothing there may be flagged
  at warning level or above.
* ``tests/data/heldout/planted.tsv`` -- one planted MT problem per sentence with its
  expected category; the rules must catch at least 80% of them.
* ``samples/clean-northeast-revival.txt`` -- a well-edited news feature that the CLI
  must pass.

Do not edit the data to make these tests pass: fix the rules instead.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from mtqa.cli import main
from mtqa.config import Config
from mtqa.core import check_text
from mtqa.model import Severity

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "heldout"
GOOD = DATA / "good.txt"
PLANTED = DATA / "planted.tsv"
CLEAN_SAMPLE = ROOT / "samples" / "clean-northeast-revival.txt"

MIN_RECALL = 0.8


def _config() -> Config:
    return Config(ignore=("LT", "GL"))


def _loud(findings):  # type: ignore[no-untyped-def]
    return [f for f in findings if f.severity.rank >= Severity.WARNING.rank]


def _good_lines() -> list[tuple[int, str]]:
    lines = GOOD.read_text(encoding="utf-8").splitlines()
    return [(n, line) for n, line in enumerate(lines, 1) if line.strip()]


def _planted() -> list[tuple[int, str, str]]:
    rows = PLANTED.read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t") == ["expected", "sentence"], "planted.tsv needs its header"
    out = []
    for n, row in enumerate(rows[1:], 2):
        if not row.strip():
            continue
        expected, sentence = row.split("\t", 1)
        out.append((n, expected, sentence))
    return out


def test_heldout_data_is_big_enough() -> None:
    assert len(_good_lines()) >= 150
    assert len(_planted()) >= 80


def test_no_false_alarms_on_good_sentences() -> None:
    config = _config()
    offending = []
    for n, line in _good_lines():
        for f in _loud(check_text(line, config)):
            offending.append(f"  good.txt:{n}: {f.rule} {f.category} {f.text!r}  <- {line}")
    total = len(_good_lines())
    assert not offending, (
        f"{len(offending)} warning/error finding(s) on correct English "
        f"({total} sentences):\n" + "\n".join(offending)
    )


def test_recall_on_planted_problems() -> None:
    config = _config()
    seen: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    missed = []
    for n, expected, sentence in _planted():
        seen[expected] += 1
        categories = {f.category for f in check_text(sentence, config)}
        if expected in categories:
            caught[expected] += 1
        else:
            missed.append(f"  planted.tsv:{n}: [{expected}] {sentence}")
    table = [f"  {'category':<24}{'caught':>7}{'total':>7}{'recall':>8}"]
    for cat in sorted(seen):
        table.append(f"  {cat:<24}{caught[cat]:>7}{seen[cat]:>7}{caught[cat] / seen[cat]:>8.2f}")
    total_seen, total_caught = sum(seen.values()), sum(caught.values())
    recall = total_caught / total_seen
    table.append(f"  {'overall':<24}{total_caught:>7}{total_seen:>7}{recall:>8.2f}")
    report = "\n".join(table)
    print("\nRecall on planted problems:\n" + report)
    assert recall >= MIN_RECALL, (
        f"overall recall {recall:.2f} < {MIN_RECALL}\n{report}\nMissed:\n" + "\n".join(missed)
    )


def test_clean_sample_passes_cli() -> None:
    assert main(["check", str(CLEAN_SAMPLE)]) == 0


def test_clean_sample_json_has_no_warnings(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    main(["check", "--format", "json", "-o", str(out), str(CLEAN_SAMPLE)])
    report = json.loads(out.read_text(encoding="utf-8"))
    loud = [f for f in report["findings"] if f["severity"] in ("warning", "error")]
    assert not loud, "findings on the clean sample:\n" + "\n".join(
        f"  line {f['line']}: {f['rule']} {f['category']} {f['text']!r}" for f in loud
    )
