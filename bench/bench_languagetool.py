"""LanguageTool through mtqa against raw ``/v2/check`` requests, side by side in one run.

    python bench/bench_languagetool.py [--lines 3000] [--url URL] [--rounds 2]

On the first ``--lines`` lines of ../shared/corpora/mlqe-pe/mt-en-detok.txt:

* raw: the same distinct sentences, the same batches, the same request options and the same
  number of requests in flight, sent with nothing but urllib and a thread pool;
* mtqa cold: ``check_documents`` with only LanguageTool selected and an empty result cache
  (reading, sentence splitting, cache look-ups and writes, findings included);
* mtqa warm: the same again with the cache filled;
* the same cold/warm pair as whole ``mtqa check --select LT`` processes.

Unless ``--url`` is given, the benchmark starts its own server through mtqa with the server's
sentence cache off (``cacheSize=0``), so that no run is served from what an earlier run sent;
LanguageTool's other internal caches make a first pass over any text slower, so the
server is warmed up on the benchmark text first; rounds alternate which goes first and the
medians are compared. Goals: cold within 1.15x of raw; warm at least 50x faster.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "mlqe-pe" / "mt-en-detok.txt"


def raw_run(url: str, sentences: list[str], form: dict[str, str], limit: int,
            workers: int) -> tuple[float, int]:
    """Plain /v2/check requests: seconds and number of matches."""
    from mtqa.languagetool.client import SEPARATOR, make_batches

    batches = make_batches(sentences, limit)

    def send(batch: list[int]) -> int:
        fields = dict(form, text=SEPARATOR.join(sentences[i] for i in batch))
        data = urllib.parse.urlencode(fields).encode("utf-8")
        with urllib.request.urlopen(url + "/v2/check", data, timeout=600) as response:
            return len(json.loads(response.read())["matches"])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        total = sum(pool.map(send, batches))
    return time.perf_counter() - started, total


def mtqa_run(path: Path, cache: Path) -> tuple[float, int, dict[str, object]]:
    """mtqa's LanguageTool pass over the file: seconds, findings, summary entry."""
    from mtqa.config import Config, LanguageToolConfig
    from mtqa.core import check_documents, read_documents

    config = Config(select=("LT",), grammar="required", cache_dir=cache,
                    languagetool=LanguageToolConfig(total_timeout=3600.0))
    started = time.perf_counter()
    documents, _ = read_documents([str(path)])
    result = check_documents(documents, config)
    seconds = time.perf_counter() - started
    return seconds, len(result.findings), result.summary["checkers"]["languagetool"]


def process_run(path: Path, cache: Path, url: str) -> float:
    """Whole ``mtqa check --select LT`` process: seconds."""
    config = cache.parent / "bench-mtqa.toml"
    config.write_text(f'cache-dir = "{cache.name}"\n[languagetool]\ntotal-timeout = 3600.0\n',
                      encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mtqa", "check", str(path), "--select", "LT",
                    "--grammar", "required", "--config", str(config), "--fail-on", "never",
                    "-q"], stdout=subprocess.DEVNULL, check=True,
                   env={**os.environ, "MTQA_LANGUAGETOOL_URL": url})
    return time.perf_counter() - started


def main() -> int:
    """Run the comparison and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--url", help="use this server instead of starting one")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="one MT sentence per line")
    args = parser.parse_args()

    from mtqa.checks.languagetool import settings_for
    from mtqa.config import Config
    from mtqa.core import read_documents
    from mtqa.languagetool import URL_ENV
    from mtqa.languagetool.client import Client
    from mtqa.languagetool.server import free_port, start, stop

    lines = args.corpus.read_text(encoding="utf-8").splitlines()
    work = Path(tempfile.mkdtemp(prefix="mtqa-bench-lt-"))
    text_path = work / "corpus.txt"
    text_path.write_text("\n".join(lines[: args.lines]) + "\n", encoding="utf-8")
    warmup_path = work / "warmup.txt"
    warmup_path.write_text("\n".join(lines[-2000:]) + "\n", encoding="utf-8")

    port = None
    url = args.url
    if url is None:
        port = free_port()
        url = start(port, heap="1g", wait=240, properties={"cacheSize": "0"}).url
    os.environ[URL_ENV] = url
    try:
        settings = settings_for(Config())
        info = Client(url).info(settings.options.language)
        documents, _ = read_documents([str(text_path)])
        sentences = list(dict.fromkeys(
            s.text for d in documents for s in d.sentences if any(c.isalpha() for c in s.text)))
        limit = min(settings.batch_chars, info.max_text_length)
        form = settings.options.form()
        print(f"LanguageTool {info.version} at {url}; {args.lines} lines, {len(sentences)} "
              f"distinct sentences, batches of <= {limit} chars, {settings.concurrency} "
              f"in flight", flush=True)
        # LanguageTool's internal caches (speller, tagger, JIT) make the first pass over any
        # text slower even with the sentence cache off: warm up on other text, then on this
        # text, so that raw and mtqa runs meet the same server state
        mtqa_run(warmup_path, work / "warmup-cache")
        for attempt in range(3):
            seconds = raw_run(url, sentences, form, limit, settings.concurrency)[0]
            print(f"warm-up pass {attempt + 1} over the benchmark text: {seconds:.2f} s",
                  flush=True)
        raw_times: list[float] = []
        cold_times: list[float] = []
        warm_times: list[float] = []
        for round_ in range(args.rounds):
            cache = work / f"cache-{round_}"
            if round_ % 2:  # alternate which one goes first
                cold_s, findings, entry = mtqa_run(text_path, cache)
                raw_s, raw_matches = raw_run(url, sentences, form, limit, settings.concurrency)
            else:
                raw_s, raw_matches = raw_run(url, sentences, form, limit, settings.concurrency)
                cold_s, findings, entry = mtqa_run(text_path, cache)
            warm = [mtqa_run(text_path, cache) for _ in range(3)]
            assert all(w[2]["requests"] == 0 for w in warm), "warm run sent requests"
            raw_times.append(raw_s)
            cold_times.append(cold_s)
            warm_times.append(min(w[0] for w in warm))
            print(f"round {round_ + 1}: raw {raw_s:.2f} s ({raw_matches} matches); mtqa cold "
                  f"{cold_s:.2f} s ({findings} findings after filters, {entry['requests']} "
                  f"requests); mtqa warm {warm_times[-1] * 1000:.1f} ms", flush=True)
        process_cache = work / "process-cache"
        proc_cold = process_run(text_path, process_cache, url)
        proc_warm = min(process_run(text_path, process_cache, url) for _ in range(3))
    finally:
        if port is not None:
            stop(port)
        shutil.rmtree(work, ignore_errors=True)

    raw_m, cold_m, warm_m = (statistics.median(t) for t in (raw_times, cold_times, warm_times))
    print()
    print(f"{'':24}{'seconds':>10}{'sentences/s':>14}")
    for label, seconds in (("raw /v2/check", raw_m), ("mtqa cold cache", cold_m),
                           ("mtqa warm cache", warm_m), ("process cold", proc_cold),
                           ("process warm", proc_warm)):
        print(f"{label:24}{seconds:10.3f}{len(sentences) / seconds:14.0f}")
    print()
    print(f"mtqa cold / raw:            {cold_m / raw_m:6.3f}x   (goal <= 1.15)")
    print(f"mtqa cold / warm:           {cold_m / warm_m:6.0f}x   (goal >= 50)")
    print(f"process cold / warm:        {proc_cold / proc_warm:6.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
