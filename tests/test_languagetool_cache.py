"""The persistent result cache, against the real server behind a request-counting proxy."""

from __future__ import annotations

import sqlite3
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from mtqa.config import Config, LanguageToolConfig
from mtqa.core import check_documents
from mtqa.formats.plain import read_text
from mtqa.languagetool import URL_ENV
from mtqa.languagetool.cache import FILE_NAME, ResultCache
from mtqa.languagetool.client import Match

TEXT = ("It was a important meeting.\n"
        "The goverment will announce the plan tomorrow. The experts agreed.\n"
        "The forum ended , and the experts went home.\n")


class CountingProxy(ThreadingHTTPServer):
    """Forwards every request to the real server and counts ``/v2/check`` calls with text.

    mtqa's first contact is a one-character check that asks the server's version (a part of
    the cache key); it carries no document text and is not counted.
    """

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.upstream = upstream
        self.checks = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Forward(BaseHTTPRequestHandler):
    server: CountingProxy

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _relay(self, data: bytes | None) -> None:
        request = urllib.request.Request(self.server.upstream + self.path, data=data)
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read()
            status = response.status
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._relay(None)

    def do_POST(self) -> None:
        data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        probe = urllib.parse.parse_qs(data.decode("utf-8")).get("text") == ["."]
        if self.path.startswith("/v2/check") and not probe:  # not mtqa's version probe
            with self.server.lock:
                self.server.checks += 1
        self._relay(data)


@pytest.fixture
def proxy(languagetool_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingProxy]:
    server = CountingProxy(languagetool_url)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv(URL_ENV, server.url)
    yield server
    server.shutdown()
    server.server_close()


def run(tmp_path: Path, **changes: Any) -> tuple[list[Any], dict[str, Any], list[str]]:
    lt = changes.pop("languagetool", LanguageToolConfig())
    config = Config(select=("LT",), grammar="required", cache_dir=tmp_path / "cache",
                    languagetool=lt, **changes)
    result = check_documents([read_text("t.txt", TEXT)], config)
    return result.findings, result.summary["checkers"]["languagetool"], result.notices


def test_warm_run_sends_nothing(proxy: CountingProxy, tmp_path: Path) -> None:
    cold, entry, _ = run(tmp_path)
    assert proxy.checks > 0 and entry["checked"] == entry["distinct_sentences"] == 4
    before = proxy.checks
    warm, entry, _ = run(tmp_path)
    assert proxy.checks == before
    assert entry["cached"] == 4 and entry["requests"] == 0
    assert warm == cold


def test_no_cache_always_asks(proxy: CountingProxy, tmp_path: Path) -> None:
    run(tmp_path)
    before = proxy.checks
    run(tmp_path, no_cache=True)
    assert proxy.checks > before


@pytest.mark.parametrize("change", [
    {"languagetool": LanguageToolConfig(disabled_rules=("EN_A_VS_AN",))},
    {"languagetool": LanguageToolConfig(picky=True)},
    {"language": "en-GB"},
])
def test_any_key_change_invalidates(proxy: CountingProxy, tmp_path: Path,
                                    change: dict[str, Any]) -> None:
    run(tmp_path)
    before = proxy.checks
    _, entry, _ = run(tmp_path, **change)
    assert proxy.checks > before and entry["cached"] == 0
    # and the first configuration's entries are still there
    before = proxy.checks
    run(tmp_path)
    assert proxy.checks == before


def test_changed_sentence_is_the_only_one_sent(proxy: CountingProxy, tmp_path: Path) -> None:
    run(tmp_path)
    config = Config(select=("LT",), grammar="required", cache_dir=tmp_path / "cache")
    edited = TEXT.replace("The experts agreed.", "The experts dissagreed.")
    result = check_documents([read_text("t.txt", edited)], config)
    entry = result.summary["checkers"]["languagetool"]
    assert entry["cached"] == 3 and entry["checked"] == 1
    assert "dissagreed" in {f.text for f in result.findings}


def test_corrupt_cache_is_rebuilt(proxy: CountingProxy, tmp_path: Path) -> None:
    cold, _, _ = run(tmp_path)
    path = tmp_path / "cache" / FILE_NAME
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    findings, entry, notices = run(tmp_path)
    assert findings == cold and entry["status"] == "ran"
    assert any("rebuilt" in n for n in notices)
    before = proxy.checks
    run(tmp_path)
    assert proxy.checks == before  # the rebuilt cache works


def test_locked_cache_is_skipped_not_fatal(proxy: CountingProxy, tmp_path: Path) -> None:
    cold, _, _ = run(tmp_path)
    holder = sqlite3.connect(tmp_path / "cache" / FILE_NAME, isolation_level=None, timeout=0)
    holder.execute("PRAGMA journal_mode = DELETE").fetchall()
    holder.execute("BEGIN EXCLUSIVE")
    try:
        findings, entry, notices = run(tmp_path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert findings == cold and entry["status"] == "ran"
    assert any("cache" in n for n in notices)


def test_cache_unit_roundtrip_and_bad_rows(tmp_path: Path) -> None:
    notices: list[str] = []
    match = Match(3, 2, "RULE", "msg", ("a", "b"), "grammar", "GRAMMAR", "short", "2")
    cache = ResultCache(tmp_path, "key", notices.append)
    cache.put_many({"A sentence 😀.": [match], "Clean.": []})
    cache.close()
    again = ResultCache(tmp_path, "key", notices.append)
    assert again.get_many(["A sentence 😀.", "Clean.", "Other."]) == {
        "A sentence 😀.": [match], "Clean.": []}
    assert ResultCache(tmp_path, "other key", notices.append).get_many(["Clean."]) == {}
    assert notices == []


def test_cache_survives_the_console_script_ending_without_clean_up(
    languagetool_url: str, tmp_path: Path
) -> None:
    # `python -m mtqa` ends its process with os._exit once the report is out: whatever the
    # first run cached must be on disk by then.
    import json
    import os
    import subprocess
    import sys

    (tmp_path / "doc.txt").write_text("This sentence has a important mistake.\n", encoding="utf-8")
    env = {**os.environ, URL_ENV: languagetool_url}
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "mtqa", "check", "--format", "json", "doc.txt"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        runs.append(json.loads(done.stdout)["summary"]["checkers"]["languagetool"])
    assert runs[0]["checked"] == 1 and runs[0]["cached"] == 0
    assert runs[1]["checked"] == 0 and runs[1]["cached"] == 1
