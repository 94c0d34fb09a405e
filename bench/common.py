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
    return measure_interleaved([(label, argv)], repeats, env, cwd)[0]


def _once(
    argv: list[str], env: dict[str, str] | None, cwd: Path | None
) -> tuple[float, float, int]:
    """Wall seconds, peak MiB and exit code of one run of ``argv`` (output discarded)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd or ROOT, env=env
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    return seconds, usage.ru_maxrss / 1024, code


def measure_interleaved(
    commands: list[tuple[str, list[str]]],
    repeats: int = 5,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> list[Run]:
    """Run the commands in turn, ``repeats`` rounds; each one's median time and peak memory.

    Taking turns puts every command under the same conditions: on a shared machine the speed
    of the CPU drifts over a minute, and a tool timed all at once in a fast or slow stretch
    would get a ratio that says more about the stretch than about the tool. The order
    rotates from round to round.
    """
    times: dict[str, list[float]] = {label: [] for label, _ in commands}
    peaks: dict[str, float] = dict.fromkeys(times, 0.0)
    codes: dict[str, int] = dict.fromkeys(times, 0)
    for round_number in range(repeats):
        # Rotate the order too: no tool always runs straight after the same one (a long,
        # hot run can slow whatever comes next on a shared machine).
        shift = round_number % len(commands)
        for label, argv in commands[shift:] + commands[:shift]:
            seconds, peak, code = _once(argv, env, cwd)
            times[label].append(seconds)
            peaks[label] = max(peaks[label], peak)
            codes[label] = code
    return [
        Run(label, statistics.median(times[label]), peaks[label], codes[label])
        for label, _ in commands
    ]


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
