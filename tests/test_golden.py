"""Golden snapshots of whole-document JSON output.

Regenerate after an intended change with ``MTQA_UPDATE_GOLDEN=1 python -m pytest
tests/test_golden.py`` and review the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mtqa.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"

CASES = {
    "liaoning-symposium": ["samples/liaoning-symposium.txt"],
    "liaoning-symposium-glossary": [
        "samples/liaoning-symposium.txt",
        "--glossary",
        "glossaries/zh-en-governance.tbx",
    ],
    "clean-northeast-revival": ["samples/clean-northeast-revival.txt"],
}


def render(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    cwd = Path.cwd()
    os.chdir(ROOT)  # paths in the report are as given: keep them relative
    try:
        main(["check", "--grammar", "off", "--no-cache", "--format", "json", *args])
    finally:
        os.chdir(cwd)
    report: dict = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    return report


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_output_matches_golden(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = CASES[name]
    if "--glossary" in args and not (ROOT / args[args.index("--glossary") + 1]).exists():
        pytest.fail(f"glossary {args[args.index('--glossary') + 1]} is missing")
    report = render(args, capsys)
    path = GOLDEN / f"{name}.json"
    text = json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("MTQA_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert report["findings"] == expected["findings"]
    assert report["summary"] == expected["summary"]
