"""Glossary benchmark: check the MT corpus with generated glossaries of 10, 10,000 and 100,000
terms; report load time (cold and cached) and checking time, and the ratio to 10 terms.

    python bench/bench_glossary.py [--sizes 10,10000,100000] [--repeat 3]

"glossary" is the glossary checker alone; "all checks" adds the built-in rule packs, i.e. what
``mtqa check`` spends checking (LanguageTool off). Load time is reported separately.

Each generated entry has a Chinese source term, a preferred English term and a deprecated
English variant (2-4 words drawn from the corpus vocabulary, so the terms share words with
the text like a real glossary does). Checking time is the glossary checker over the whole
corpus as one document; the goal is 100,000 terms within 1.3x of 10 terms.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / ".." / "shared" / "corpora" / "mlqe-pe" / "mt-en-detok.txt"


def make_glossary(path: Path, size: int, vocabulary: list[str], seed: int = 7) -> None:
    """Write a CSV glossary with ``size`` entries."""
    rng = random.Random(seed)
    seen: set[str] = set()
    lines = ["source:zh,target,status,forbidden,case_sensitive,note"]
    cjk = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]

    def phrase(low: int, high: int) -> str:
        while True:
            text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(low, high)))
            if text not in seen:
                seen.add(text)
                return text

    for _ in range(size):
        source = "".join(rng.choice(cjk) for _ in range(rng.randint(2, 6)))
        lines.append(f"{source},{phrase(1, 4)},preferred,{phrase(2, 4)},,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table (``--json`` for machine-readable output)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from mtqa.checks.glossary import check_document
    from mtqa.formats import read_document
    from mtqa.glossary.loader import load_compiled

    corpus = Path(args.corpus)
    if not corpus.is_file():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    text = corpus.read_text(encoding="utf-8")
    words = re.findall(r"[a-z]{3,}", text.lower())
    vocabulary = sorted(set(words))
    document = read_document(str(corpus))
    _ = document.scan_text
    rules_s = _rules_time(document, args.repeat)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",")):
            path = folder / f"g{size}.csv"
            make_glossary(path, size, vocabulary)
            cache = folder / f"cache{size}"
            start = time.perf_counter()
            compiled, info = load_compiled([path], cache_dir=cache)
            cold = time.perf_counter() - start
            assert info["cache"] == "miss"
            start = time.perf_counter()
            compiled, info = load_compiled([path], cache_dir=cache)
            cached = time.perf_counter() - start
            assert info["cache"] == "hit"
            times = []
            findings = 0
            for _ in range(args.repeat):
                start = time.perf_counter()
                findings = len(check_document(compiled, document))
                times.append(time.perf_counter() - start)
            rows.append({
                "terms": size, "english_terms": 2 * size, "keys": len(compiled.target),
                "load_cold_s": cold, "load_cached_s": cached, "check_s": min(times),
                "findings": findings,
            })
    base = rows[0]["check_s"]
    for row in rows:
        row["check_ratio"] = row["check_s"] / base
        row["full_check_s"] = rules_s + row["check_s"]
        row["full_check_ratio"] = row["full_check_s"] / (rules_s + base)
    if args.json:
        print(json.dumps({"corpus_lines": len(document.units), "rules_s": rules_s, "runs": rows},
                         indent=2))
        return 0
    print(f"corpus: {len(document.units)} segments, {len(text)} characters")
    print(f"built-in rule packs alone: {rules_s:.2f}s")
    print(f"{'terms':>8} {'keys':>8} {'load cold':>10} {'load cached':>12} {'glossary':>9} "
          f"{'x of 10':>8} {'all checks':>11} {'x of 10':>8} {'findings':>9}")
    for row in rows:
        print(f"{row['terms']:>8} {row['keys']:>8} {row['load_cold_s']:>9.2f}s "
              f"{row['load_cached_s']:>11.2f}s {row['check_s']:>8.2f}s {row['check_ratio']:>7.2f}x "
              f"{row['full_check_s']:>10.2f}s {row['full_check_ratio']:>7.2f}x "
              f"{row['findings']:>9}")
    return 0


def _rules_time(document: object, repeat: int) -> float:
    """Seconds the built-in rule packs take on the document (best of ``repeat``)."""
    from mtqa.checks import CheckContext
    from mtqa.checks.rules import build
    from mtqa.config import Config
    from mtqa.core import selection_of

    config = Config(grammar="off")
    ctx = CheckContext(config, selection_of(config))
    checker = build(ctx)
    if isinstance(checker, str):
        return 0.0
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        checker.check([document], ctx)  # type: ignore[list-item]
        times.append(time.perf_counter() - start)
    return min(times)


if __name__ == "__main__":
    sys.exit(main())
