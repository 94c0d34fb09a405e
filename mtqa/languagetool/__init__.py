"""LanguageTool: installing and running a local server, and talking to any server.

The package is split by job: :mod:`install` (Maven download into a per-user cache folder),
:mod:`server` (start, stop and status of a local server), :mod:`client` (the HTTP API with
batching, retries and UTF-16 offsets), :mod:`cache` (persistent results in SQLite) and
:mod:`mapping` (LanguageTool rules to MQM categories, severities and default-disabled rules).
The checker itself is :mod:`mtqa.checks.languagetool`.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The LanguageTool release that ``mtqa languagetool install`` downloads.
LT_VERSION = "6.8"

#: Port of a local server unless configured otherwise.
DEFAULT_PORT = 8081

#: Environment variable with the URL of the server to use (overrides configuration).
URL_ENV = "MTQA_LANGUAGETOOL_URL"

#: Environment variable that moves the per-user folder (installations, pid files, logs).
HOME_ENV = "MTQA_LANGUAGETOOL_HOME"


def home() -> Path:
    """The per-user folder that holds installations, pid files and server logs."""
    configured = os.environ.get(HOME_ENV)
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("mtqa") / "languagetool"


def local_url(port: int) -> str:
    """The URL of a local server on ``port``."""
    return f"http://127.0.0.1:{port}"
