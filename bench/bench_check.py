"""Built-in checks against proselint and pofilter on real MT English, whole process.

    python bench/bench_check.py [--lines N] [--repeats R]

Runs each tool as a separate process on the same corpus (../shared/corpora/mlqe-pe/
mt-en-detok.txt: 45,000 machine translations into English), side by side in one run,
and prints wall time, peak memory and the ratio to mtqa. ``mtqa --help`` start-up is
timed too. LanguageTool and glossaries are off: this measures the built-in rules.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import CORPUS, Run, measure, table


def write_po(lines: list[str], path: Path) -> None:
    """The corpus as a PO file (source = target = the MT sentence) for pofilter."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace('"', '\\"')

    with path.open("w", encoding="utf-8") as handle:
        handle.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
        for number, line in enumerate(lines, 1):
            handle.write(f'#: corpus:{number}\nmsgctxt "{number}"\n')
            handle.write(f'msgid "{esc(line)}"\nmsgstr "{esc(line)}"\n\n')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=0, help="use only the first N lines")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    if args.lines:
        lines = lines[: args.lines]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.txt"
        corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
        po = folder / "corpus.po"
        write_po(lines, po)
        mtqa = [sys.executable, "-m", "mtqa"]
        runs: list[Run] = [
            measure(
                "mtqa check (built-in rules)",
                [
                    *mtqa,
                    "check",
                    "--grammar",
                    "off",
                    "--no-cache",
                    "-o",
                    str(folder / "o.txt"),
                    str(corpus),
                ],
                args.repeats,
            ),
            measure(
                "mtqa check --format json",
                [
                    *mtqa,
                    "check",
                    "--grammar",
                    "off",
                    "--no-cache",
                    "--format",
                    "json",
                    "-o",
                    str(folder / "o.json"),
                    str(corpus),
                ],
                args.repeats,
            ),
        ]
        proselint = shutil.which("proselint")
        if proselint:
            runs.append(measure("proselint check", [proselint, "check", str(corpus)], args.repeats))
        pofilter = shutil.which("pofilter")
        if pofilter:
            runs.append(
                measure(
                    "pofilter",
                    [pofilter, "-i", str(po), "-o", str(folder / "out.po")],
                    args.repeats,
                )
            )
        help_times = []
        for _ in range(10):
            start = time.perf_counter()
            subprocess.run([*mtqa, "--help"], stdout=subprocess.DEVNULL, check=True)
            help_times.append(time.perf_counter() - start)
    print(f"corpus: {len(lines)} lines, {sum(len(s.split()) for s in lines)} words")
    print(table(runs, runs[0]))
    for run in runs[2:]:
        print(f"mtqa is {run.seconds / runs[0].seconds:.1f}x faster than {run.label}")
    print(f"mtqa --help: median {statistics.median(help_times) * 1000:.0f} ms over 10 runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
