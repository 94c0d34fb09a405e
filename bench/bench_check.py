"""Built-in checks against proselint and pofilter on real MT English, whole process.

    python bench/bench_check.py [--lines N] [--repeats R]

Runs each tool as a separate process on the same corpus (../shared/corpora/mlqe-pe/
mt-en-detok.txt: 45,000 machine translations into English), side by side in one run,
and prints wall time, peak memory and the ratio to mtqa, both as it runs by default (one
worker process per CPU on big inputs) and in one process (-j 1). ``mtqa --help`` start-up is
timed too. LanguageTool and glossaries are off: this measures the built-in rules.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import CORPUS, ROOT, measure_interleaved, table


def write_po(lines: list[str], path: Path) -> None:
    """The corpus as a PO file (source = target = the MT sentence) for pofilter."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace('"', '\\"')

    with path.open("w", encoding="utf-8") as handle:
        handle.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
        for number, line in enumerate(lines, 1):
            handle.write(f'#: corpus:{number}\nmsgctxt "{number}"\n')
            handle.write(f'msgid "{esc(line)}"\nmsgstr "{esc(line)}"\n\n')


def _script(name: str) -> str | None:
    """A peer's console script: the one beside this interpreter (no version-manager shim in
    front of it, which would add its own start-up to the peer's time), else from PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=0, help="use only the first N lines")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    if args.lines:
        lines = lines[: args.lines]
    # Every tool runs as installed software does: with Python's bytecode cache. An editable
    # checkout has none until something writes it, and PYTHONDONTWRITEBYTECODE (set on some
    # machines) would make mtqa compile its own source at every start.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "mtqa")], check=True, env=env
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.txt"
        corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
        po = folder / "corpus.po"
        write_po(lines, po)
        check = [sys.executable, "-m", "mtqa", "check", "--grammar", "off", "--no-cache"]
        out = ["-o", str(folder / "out"), str(corpus)]
        commands = [
            ("mtqa check (built-in rules)", [*check, *out]),
            ("mtqa check -j 1 (one process)", [*check, "-j", "1", *out]),
            ("mtqa check --format json", [*check, "--format", "json", *out]),
        ]
        proselint = _script("proselint")
        if proselint:
            commands.append(("proselint check", [proselint, "check", str(corpus)]))
        pofilter = _script("pofilter")
        if pofilter:
            commands.append(("pofilter", [pofilter, "-i", str(po), "-o", str(folder / "out.po")]))
        measured = measure_interleaved(commands, args.repeats, env=env)
        runs, peers = measured[:3], measured[3:]
        help_times = []
        for _ in range(10):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "mtqa", "--help"],
                stdout=subprocess.DEVNULL,
                check=True,
                env=env,
            )
            help_times.append(time.perf_counter() - start)
    print(f"corpus: {len(lines)} lines, {sum(len(s.split()) for s in lines)} words")
    cpus = len(os.sched_getaffinity(0))
    print(f"CPUs available: {cpus}; medians of {args.repeats} rounds, the tools taking turns")
    print(table([*runs, *peers], runs[0]))
    for peer in peers:
        for run in runs[:2]:
            print(f"{run.label} is {peer.seconds / run.seconds:.1f}x faster than {peer.label}")
    print(f"mtqa --help: median {statistics.median(help_times) * 1000:.0f} ms over 10 runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
