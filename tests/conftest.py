"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"


@pytest.fixture
def samples() -> Path:
    return SAMPLES


# --- LanguageTool -------------------------------------------------------------------------------
# A real server for tests/test_languagetool*.py: MTQA_LANGUAGETOOL_URL if set, else one started
# through mtqa's own `languagetool start` code on a free loopback port and stopped at the end.
# Never skipped: without a server these tests fail and say how to get one.


@pytest.fixture(scope="session")
def languagetool_url() -> object:
    import os

    from mtqa.errors import MtqaError
    from mtqa.languagetool import URL_ENV
    from mtqa.languagetool.install import find_installation
    from mtqa.languagetool.server import free_port, healthy, start, stop

    url = os.environ.get(URL_ENV)
    if url:
        if not healthy(url, timeout=10):
            pytest.fail(f"{URL_ENV}={url} does not answer /v2/healthcheck; start the server "
                        "(`mtqa languagetool start`) or unset the variable", pytrace=False)
        yield url.rstrip("/")
        return
    if find_installation() is None:
        pytest.fail("LanguageTool is not installed and MTQA_LANGUAGETOOL_URL is not set: run "
                    "`mtqa languagetool install` (needs Maven and Java 17+), or set "
                    f"{URL_ENV} to a running server", pytrace=False)
    port = free_port()
    try:
        state = start(port, heap="1g", wait=240)
    except MtqaError as exc:
        pytest.fail(f"could not start LanguageTool for the tests: {exc}", pytrace=False)
    try:
        yield state.url
    finally:
        stop(port)
