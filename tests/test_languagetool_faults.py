"""Faults: fake LanguageTool servers on 127.0.0.1 that are down, die, stall or answer garbage.

Every case runs in both modes: *auto* must finish with a notice and a summary that says the
check was skipped or partial; *required* must exit 2 with one line. Nothing may hang or print
a traceback, and a half-checked document is never reported as checked.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from mtqa.cli import main
from mtqa.languagetool import URL_ENV
from mtqa.languagetool.server import free_port

PROBE = {"software": {"name": "LanguageTool", "version": "6.8"}, "matches": []}


class FakeLanguageTool(ThreadingHTTPServer):
    """A stand-in server whose ``/v2/check`` misbehaves as ``mode`` says."""

    daemon_threads = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.checks = 0
        self.connections = 0
        self.lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a dropped connection is the point of some modes

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeLanguageTool
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.connections += 1
        if self.path.startswith("/v2/healthcheck"):
            self._send(200, b"OK", "text/plain")
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
        with self.server.lock:
            self.server.connections += 1
        if form.get("text") == ["."]:  # mtqa's first contact
            if form.get("language") == ["xx"]:
                self._send(400, b"Error: 'xx' is not a language code known to LanguageTool.",
                           "text/plain")
            elif self.server.mode == "info-garbage":
                self._send(200, b"<html>not json</html>", "text/html")
            else:
                self._send(200, json.dumps(PROBE).encode())
            return
        with self.server.lock:
            self.server.checks += 1
            n = self.server.checks
        mode = self.server.mode
        if mode == "limit" and len(form["text"][0]) > 150:
            self._send(413, b"Error: your text exceeds the limit of 150 characters", "text/plain")
        elif mode == "http500":
            self._send(500, b"Internal Server Error", "text/plain")
        elif mode == "garbage":
            self._send(200, b'{"matches": [ {"offset": ', "application/json")
        elif mode == "no-matches":
            self._send(200, b'{"software": {}}')
        elif mode == "slow":
            time.sleep(3)
            self._send(200, b'{"matches": []}')
        elif mode == "dies":
            if n == 1:
                self._send(200, b'{"matches": []}')
            else:
                # the server goes away: this connection drops, new ones are refused
                threading.Thread(target=self.server.shutdown, daemon=True).start()
                self.close_connection = True
                self.connection.close()
        else:
            self._send(200, b'{"matches": []}')


@pytest.fixture
def fake(request: pytest.FixtureRequest) -> Iterator[FakeLanguageTool]:
    server = FakeLanguageTool(request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "doc.txt"
    # many short sentences, so a run needs several requests
    lines = [f"Line {i} says that the plan for year {2000 + i} was adopted." for i in range(400)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "mtqa.toml").write_text(
        "[languagetool]\ntimeout = 1.0\nconnect-timeout = 1.0\ntotal-timeout = 6.0\n"
        "retries = 1\nbatch-chars = 400\nconcurrency = 2\n", encoding="utf-8")
    return path


def run(path: Path, mode: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any],
                                                                              str, float]:
    started = time.monotonic()
    code = main(["check", str(path), "--grammar", mode, "--format", "json", "--no-cache",
                 "--fail-on", "never"])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err
    report = json.loads(out) if out.strip() else {}
    return code, report, err, elapsed


SERVER_FAULTS = ["http500", "garbage", "no-matches", "slow", "dies", "info-garbage"]


@pytest.mark.parametrize("fake", SERVER_FAULTS, indirect=True)
def test_required_mode_exits_2_with_one_line(fake: FakeLanguageTool, document: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(URL_ENV, fake.url)
    code, report, err, elapsed = run(document, "required", capsys)
    assert code == 2
    assert report == {}  # nothing that could pass for a clean result
    assert err.startswith("mtqa: error: ") and err.count("\n") == 1
    assert elapsed < 20


@pytest.mark.parametrize("fake", SERVER_FAULTS, indirect=True)
def test_auto_mode_notices_and_records_why(fake: FakeLanguageTool, document: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(URL_ENV, fake.url)
    code, report, err, elapsed = run(document, "auto", capsys)
    assert code == 0
    entry = report["summary"]["checkers"]["languagetool"]
    assert entry["status"] in ("skipped", "partial")
    assert entry["reason"]
    if entry["status"] == "partial":
        assert entry["unchecked_sentences"] > 0
        assert entry["incomplete_files"] == [str(document)]
    assert err.count("mtqa: grammar checks") == 1
    assert elapsed < 20


def test_server_down_at_start(document: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(URL_ENV, f"http://127.0.0.1:{free_port()}")
    code, report, err, _ = run(document, "auto", capsys)
    assert code == 0
    entry = report["summary"]["checkers"]["languagetool"]
    assert entry["status"] == "skipped" and "no LanguageTool server" in entry["reason"]
    assert "grammar checks skipped" in err
    code, report, err, _ = run(document, "required", capsys)
    assert code == 2 and "grammar = required" in err and report == {}


@pytest.mark.parametrize("fake", ["ok"], indirect=True)
def test_off_and_ignore_never_connect(fake: FakeLanguageTool, document: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(URL_ENV, fake.url)
    assert main(["check", str(document), "--grammar", "off", "--fail-on", "never"]) == 0
    assert main(["check", str(document), "--grammar", "required", "--ignore", "LT",
                 "--fail-on", "never"]) == 0
    assert fake.connections == 0
    capsys.readouterr()
    assert main(["check", str(document), "--grammar", "required", "--fail-on", "never",
                 "--no-cache"]) == 0
    assert fake.checks > 0


@pytest.mark.parametrize("fake", ["ok"], indirect=True)
def test_unknown_language_is_a_configuration_error(fake: FakeLanguageTool, document: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(URL_ENV, fake.url)
    assert main(["check", str(document), "--language", "xx"]) == 2
    assert "rejected" in capsys.readouterr().err
    assert main(["check", str(document), "--language", "english!"]) == 2
    assert "not a language code" in capsys.readouterr().err


def test_bad_url_is_a_configuration_error(document: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(URL_ENV, "ftp://example")
    assert main(["check", str(document)]) == 2
    assert "must start with http" in capsys.readouterr().err


@pytest.mark.parametrize("fake", ["limit"], indirect=True)
def test_request_over_the_server_limit_is_split(fake: FakeLanguageTool, document: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(URL_ENV, fake.url)
    code, report, err, _ = run(document, "required", capsys)
    assert code == 0, err
    entry = report["summary"]["checkers"]["languagetool"]
    assert entry["status"] == "ran" and entry["checked"] == 400
