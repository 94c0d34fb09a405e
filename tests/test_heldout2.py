"""The second held-out set (bench/data/heldout2-*): correct English must stay silent.

Its recall figures are printed by ``python bench/eval_heldout2.py``; only precision is a test,
because a false alarm is a bug while a missed calque is a rule not yet written.
"""

from __future__ import annotations

from pathlib import Path

from mtqa.config import Config
from mtqa.core import check_text
from mtqa.model import Severity

GOOD = Path(__file__).resolve().parent.parent / "bench" / "data" / "heldout2-good.txt"


def test_no_warning_on_correct_english() -> None:
    lines = [line for line in GOOD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= 300
    config = Config(grammar="off")
    loud = [
        (number, f.rule, f.text)
        for number, line in enumerate(lines, 1)
        for f in check_text(line, config)
        if f.severity.rank >= Severity.WARNING.rank
    ]
    assert loud == []
