"""Helpers for the benchmarks: run a whole process, measure wall time and peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpora" / "mlqe-pe" / "mt-en-detok.txt"


@dataclass
class Run:
    """Timing of one command: median wall seconds over repeats, and peak RSS in MiB."""

    label: str
    seconds: float
    peak_mib: float
    exit_code: int


def measure(
    label: str,
    argv: list[str],
    repeats: int = 3,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Run:
    """Run ``argv`` ``repeats`` times (output discarded); median time, max peak memory.

    Peak memory is the largest resident size of the process or of any worker it waited for.
    """
    times: list[float] = []
    peak = 0.0
    code = 0
    for _ in range(repeats):
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd or ROOT, env=env
        )
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peak = max(peak, usage.ru_maxrss / 1024)
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
    return Run(label, statistics.median(times), peak, code)


def table(runs: list[Run], baseline: Run) -> str:
    """A plain table with each run's time as a multiple of the baseline's."""
    lines = [
        f"{'command':<34} {'seconds':>8} {'peak MiB':>9} {'exit':>4}  time / {baseline.label}"
    ]
    for run in runs:
        ratio = run.seconds / baseline.seconds if baseline.seconds else 0.0
        lines.append(
            f"{run.label:<34} {run.seconds:8.3f} {run.peak_mib:9.1f} {run.exit_code:4d}"
            f"  {ratio:6.2f}x"
        )
    return "\n".join(lines)
