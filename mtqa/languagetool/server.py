"""Start, stop and query a local LanguageTool server on 127.0.0.1.

``start`` writes a properties file and a state file (``run/server-<port>.json`` in the
per-user folder) with the process id; ``stop`` ends exactly that process, after checking
that the id still belongs to a LanguageTool server on that port.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from mtqa.errors import ServiceError
from mtqa.fileio import atomic_write
from mtqa.languagetool import home, local_url
from mtqa.languagetool.install import ALTERNATIVES, SERVER_CLASS, find_installation

#: Server properties: a sentence cache and pipeline caching make repeated checks cheap.
PROPERTIES = {
    "cacheSize": "5000",
    "cacheTTLSeconds": "600",
    "pipelineCaching": "true",
    "maxPipelinePoolSize": "100",
    "maxTextLength": "100000",
    "maxCheckTimeMillis": "120000",
    "maxCheckThreads": "8",
}


@dataclass(frozen=True)
class ServerState:
    """What ``start`` recorded about a server it started."""

    pid: int
    port: int
    url: str
    version: str
    classpath: str
    heap: str
    log: str
    started: float


def run_dir() -> Path:
    """Folder of state files, properties files and logs."""
    return home() / "run"


def state_path(port: int) -> Path:
    """The state file of the server on ``port``."""
    return run_dir() / f"server-{port}.json"


def read_state(port: int) -> ServerState | None:
    """The recorded server on ``port``, if a readable state file exists."""
    try:
        data = json.loads(state_path(port).read_text(encoding="utf-8"))
        return ServerState(**data)
    except (OSError, ValueError, TypeError):
        return None


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True when ``GET /v2/healthcheck`` answers OK."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url.rstrip("/") + "/v2/healthcheck", timeout=timeout) as r:
            return bool(r.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def port_in_use(port: int) -> bool:
    """True when something accepts connections on 127.0.0.1:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def alive(pid: int) -> bool:
    """True when process ``pid`` exists and has not exited (reaps it if it is our child)."""
    with contextlib.suppress(ChildProcessError, OSError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_our_server(state: ServerState) -> bool:
    """True unless /proc shows that the pid now belongs to some other program."""
    if not Path("/proc").is_dir():
        return alive(state.pid)
    try:
        args = Path(f"/proc/{state.pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return SERVER_CLASS.encode() in args and str(state.port).encode() in args


def start(
    port: int,
    heap: str = "1g",
    wait: float = 120.0,
    version: str | None = None,
    echo: Callable[[str], None] = lambda _msg: None,
    properties: dict[str, str] | None = None,
) -> ServerState:
    """Start a server on 127.0.0.1:port and wait until it answers; reuse one we started.

    ``properties`` are added to (or override) :data:`PROPERTIES`.
    """
    if not 1 <= port <= 65535:
        raise ServiceError(f"port {port} is not a valid port")
    url = local_url(port)
    state = read_state(port)
    if state is not None and alive(state.pid) and _is_our_server(state) and healthy(url):
        echo(f"LanguageTool {state.version} is already running at {url} (pid {state.pid})")
        return state
    if state is not None:
        state_path(port).unlink(missing_ok=True)
    if port_in_use(port):
        raise ServiceError(f"port {port} is already in use by another program; choose another "
                           "with --port (or [tool.mtqa.languagetool] port)")
    installation = find_installation(version)
    if installation is None:
        raise ServiceError(f"LanguageTool is not installed; {ALTERNATIVES}")
    java = shutil.which("java")
    if java is None:
        raise ServiceError("Java is not installed; LanguageTool needs a Java 17+ runtime (or set "
                           "MTQA_LANGUAGETOOL_URL to a running server)")
    folder = run_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        settings = {**PROPERTIES, **(properties or {})}
        properties_file = folder / f"server-{port}.properties"
        atomic_write(properties_file, "".join(f"{k}={v}\n" for k, v in settings.items()))
        log_path = folder / f"server-{port}.log"
        log = open(log_path, "wb")  # noqa: SIM115 - handed to the child process
    except OSError as exc:
        raise ServiceError(f"cannot write to {folder} ({exc.strerror})") from None
    command = [java, f"-Xmx{heap}", "-Dfile.encoding=UTF-8", "-cp", installation.classpath,
               SERVER_CLASS, "--port", str(port), "--config", str(properties_file)]
    try:
        with log:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as exc:
        raise ServiceError(f"cannot run Java ({exc.strerror})") from None
    state = ServerState(process.pid, port, url, installation.version, installation.classpath,
                        heap, str(log_path), time.time())
    atomic_write(state_path(port), json.dumps(asdict(state), indent=2) + "\n")
    echo(f"Starting LanguageTool {installation.version} at {url} (pid {process.pid}) ...")
    deadline = time.monotonic() + wait
    while True:
        code = process.poll()
        if code is not None:
            state_path(port).unlink(missing_ok=True)
            raise ServiceError(f"LanguageTool exited with code {code} while starting: "
                               f"{_log_tail(log_path)} (log: {log_path})")
        if healthy(url, timeout=1.0):
            _warm_up(url, deadline)
            return state
        if time.monotonic() > deadline:
            _terminate(process.pid)
            state_path(port).unlink(missing_ok=True)
            raise ServiceError(f"LanguageTool did not answer within {wait:g} s (log: {log_path})")
        time.sleep(0.25)


def _warm_up(url: str, deadline: float) -> None:
    """One English check, so that rule loading happens now and not in the first real request."""
    import urllib.error
    import urllib.parse
    import urllib.request

    data = urllib.parse.urlencode({"language": "en-US", "text": "This is a test."}).encode()
    with contextlib.suppress(urllib.error.URLError, OSError, ValueError):
        timeout = max(1.0, deadline - time.monotonic())
        with urllib.request.urlopen(url + "/v2/check", data, timeout=timeout) as response:
            response.read()


def stop(port: int, timeout: float = 15.0) -> str:
    """End the server that ``start`` recorded on ``port``; say what happened."""
    state = read_state(port)
    if state is None:
        return f"no LanguageTool server started by mtqa is recorded on port {port}"
    path = state_path(port)
    if not alive(state.pid):
        path.unlink(missing_ok=True)
        return f"LanguageTool (pid {state.pid}) had already stopped"
    if not _is_our_server(state):
        path.unlink(missing_ok=True)
        return f"pid {state.pid} is no longer LanguageTool; nothing stopped"
    _terminate(state.pid, timeout)
    path.unlink(missing_ok=True)
    return f"stopped LanguageTool on port {port} (pid {state.pid})"


def _terminate(pid: int, timeout: float = 15.0) -> None:
    """SIGTERM, wait, then SIGKILL: exactly this one process."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)


def status(port: int) -> dict[str, object]:
    """The recorded server on ``port``: pid, whether it runs and answers."""
    state = read_state(port)
    url = local_url(port)
    out: dict[str, object] = {"port": port, "url": url, "recorded": state is not None}
    if state is not None:
        out.update(pid=state.pid, version=state.version, heap=state.heap, log=state.log,
                   running=alive(state.pid) and _is_our_server(state))
    out["healthy"] = healthy(url)
    return out


def _log_tail(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "no log"
    interesting = [ln.strip() for ln in lines if "Exception" in ln or "Error" in ln]
    pick = interesting[-1] if interesting else (lines[-1].strip() if lines else "no output")
    return pick[:300]
