"""Held-out evaluation (set 2): false alarms on correct English, recall on planted MT problems.

Data, written independently of mtqa's rules and tests:

- ``bench/data/heldout2-good.txt``: one correct English sentence per line. Every finding at
  severity warning or error on these lines is a false alarm.
- ``bench/data/heldout2-planted.tsv``: ``expected<TAB>sentence<TAB>note``; each sentence carries
  exactly one planted problem of the category ``expected``. A line is caught when any finding
  (at any severity) has that category.

Each line is checked on its own with ``check_text`` and ``Config(grammar="off")``.

Usage: python bench/eval_heldout2.py
"""

from __future__ import annotations

import collections
from pathlib import Path

from mtqa.config import Config
from mtqa.core import check_text

DATA = Path(__file__).resolve().parent / "data"
GOOD = DATA / "heldout2-good.txt"
PLANTED = DATA / "heldout2-planted.tsv"
ALARM_LEVELS = {"warning", "error"}


def severity_name(finding) -> str:
    sev = finding.severity
    return str(getattr(sev, "value", sev)).lower()


def false_alarms(config: Config) -> tuple[int, list[tuple[int, str, object]]]:
    lines = GOOD.read_text(encoding="utf-8").splitlines()
    alarms = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        for finding in check_text(line, config, path=f"{GOOD.name}:{number}"):
            if severity_name(finding) in ALARM_LEVELS:
                alarms.append((number, line, finding))
    return sum(1 for line in lines if line.strip()), alarms


def recall(config: Config):
    rows = PLANTED.read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    assert header[:2] == ["expected", "sentence"], header
    totals: collections.Counter[str] = collections.Counter()
    caught: collections.Counter[str] = collections.Counter()
    info_only: collections.Counter[str] = collections.Counter()
    missed = []
    for number, row in enumerate(rows[1:], 2):
        if not row.strip():
            continue
        expected, sentence, *rest = row.split("\t")
        note = rest[0] if rest else ""
        findings = check_text(sentence, config, path=f"{PLANTED.name}:{number}")
        totals[expected] += 1
        hits = [f for f in findings if f.category == expected]
        if hits:
            caught[expected] += 1
            if all(severity_name(f) not in ALARM_LEVELS for f in hits):
                info_only[expected] += 1
        else:
            others = sorted({f"{f.rule} {f.category}" for f in findings})
            missed.append((number, expected, sentence, note, others))
    return totals, caught, info_only, missed


def main() -> None:
    config = Config(grammar="off")

    n_good, alarms = false_alarms(config)
    bad_lines = len({number for number, _, _ in alarms})
    print(f"== False alarms on {GOOD.name}: {len(alarms)} findings on {bad_lines} of "
          f"{n_good} lines ({bad_lines / n_good:.1%} of lines)")
    by_rule = collections.Counter(f.rule for _, _, f in alarms)
    if by_rule:
        print("   by rule: " + ", ".join(f"{r} {n}" for r, n in by_rule.most_common()))
    for number, line, f in alarms:
        print(f"  line {number}: {f.rule} {f.category} [{severity_name(f)}] "
              f"{f.text!r}\n      {line}")

    totals, caught, info_only, missed = recall(config)
    all_total, all_caught = sum(totals.values()), sum(caught.values())
    print(f"\n== Recall on {PLANTED.name}: {all_caught}/{all_total} "
          f"({all_caught / all_total:.1%})")
    for category in sorted(totals):
        t, c = totals[category], caught[category]
        extra = f"  ({info_only[category]} only at info)" if info_only[category] else ""
        print(f"  {category:<24} {c:>3}/{t:<3} {c / t:6.1%}{extra}")
    print(f"\n== Missed planted sentences ({len(missed)})")
    for number, expected, sentence, note, others in missed:
        other = f"  [other findings: {'; '.join(others)}]" if others else ""
        print(f"  line {number}: {expected} — {note}{other}\n      {sentence}")


if __name__ == "__main__":
    main()
