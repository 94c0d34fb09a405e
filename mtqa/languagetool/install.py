"""Download the LanguageTool server (English only) from Maven Central into the per-user folder.

``mvn package`` on the ``pom.xml`` shipped beside this module copies every runtime jar into
``<home>/<version>/lib``; a manifest (``install.json``) records what was installed. Users who
cannot run Maven may let language-tool-python download its own LanguageTool build instead;
:func:`find_installation` finds either.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from mtqa.errors import ServiceError
from mtqa.fileio import atomic_write
from mtqa.languagetool import LT_VERSION, URL_ENV, home

SERVER_CLASS = "org.languagetool.server.HTTPServer"

#: What to do when no LanguageTool can be installed here; appended to error messages.
ALTERNATIVES = (
    "alternatives: install Maven and Java 17+ and run `mtqa languagetool install`; or, on a "
    "machine with internet access, `mtqa languagetool install --source language-tool-python` "
    f"(language-tool-python downloads the LanguageTool release itself); or point mtqa at a "
    f"running server with {URL_ENV} or [tool.mtqa.languagetool] url"
)


@dataclass(frozen=True)
class Installation:
    """A LanguageTool server on disk: where its jars are and how it got there."""

    version: str
    classpath: str
    source: str
    jars: int
    size: int
    location: Path


def install_dir(version: str = LT_VERSION) -> Path:
    """Folder of a Maven-installed version."""
    return home() / version


def find_installation(version: str | None = None) -> Installation | None:
    """The Maven installation of ``version`` (default: newest), else language-tool-python's."""
    root = home()
    candidates = [root / version] if version else sorted(root.glob("[0-9]*"), reverse=True)
    for folder in candidates:
        manifest = folder / "install.json"
        lib = folder / "lib"
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if lib.is_dir() and any(lib.glob("languagetool-server-*.jar")):
            return Installation(
                str(data.get("version", folder.name)),
                str(lib / "*"),
                "maven",
                int(data.get("jars", 0)),
                int(data.get("size", 0)),
                folder,
            )
    return _language_tool_python_installation()


def _language_tool_python_installation() -> Installation | None:
    """A LanguageTool that language-tool-python downloaded (``$LTP_PATH``), if any."""
    try:
        from language_tool_python.download_lt import LocalLanguageTool

        local = LocalLanguageTool.get_latest_installed_version()
        if local is None:
            return None
        jar = Path(local.get_jar_path())
    except Exception:  # an unusable download is the same as none
        return None
    folder = jar.parent
    jars = list(folder.rglob("*.jar"))
    return Installation(
        str(local.version_name),
        str(jar),
        "language-tool-python",
        len(jars),
        sum(j.stat().st_size for j in jars),
        folder,
    )


def install(
    version: str = LT_VERSION,
    force: bool = False,
    echo: Callable[[str], None] = lambda _msg: None,
) -> Installation:
    """Download the server and the English module with Maven; return what was installed."""
    if not force:
        existing = find_installation(version)
        if existing is not None and existing.source == "maven":
            return existing
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServiceError(f"Maven ('mvn') is not installed; {ALTERNATIVES}")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)*(-SNAPSHOT)?", version):
        raise ServiceError(f"'{version}' is not a LanguageTool version (like {LT_VERSION})")
    target = install_dir(version)
    build = target / "build"
    lib = target / "lib"
    staging = target / "lib.partial"
    try:
        build.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        pom = resources.files("mtqa.languagetool").joinpath("pom.xml").read_bytes()
        (build / "pom.xml").write_bytes(pom)
    except OSError as exc:
        raise ServiceError(f"cannot write to {target} ({exc.strerror})") from None
    echo(f"Downloading LanguageTool {version} (server + English) with Maven into {target} ...")
    started = time.monotonic()
    command = [mvn, "-B", "-q", "-f", str(build / "pom.xml"), "package",
               f"-Dlt.version={version}", f"-Dmtqa.lib={staging}"]
    result = _run(command)
    if result.returncode != 0:
        mirror = _central_url(mvn)
        if mirror is not None:
            # LanguageTool's parent POM names a repository of its own; when it is unreachable,
            # a mirror of every repository to Maven Central lets the build go on.
            settings = build / "settings.xml"
            settings.write_text(_SETTINGS.format(url=mirror), encoding="utf-8")
            echo("Retrying with every repository mirrored to Maven Central ...")
            shutil.rmtree(staging, ignore_errors=True)
            result = _run([*command[:1], "-s", str(settings), *command[1:]])
    if result.returncode != 0:
        detail = _last_error(result.stdout + result.stderr)
        raise ServiceError(f"Maven could not download LanguageTool {version} ({detail}); "
                           f"{ALTERNATIVES}")
    jars = sorted(staging.glob("*.jar"))
    if not any(j.name.startswith("languagetool-server-") for j in jars):
        raise ServiceError(f"Maven finished but no LanguageTool server jar arrived; {ALTERNATIVES}")
    size = sum(j.stat().st_size for j in jars)
    shutil.rmtree(lib, ignore_errors=True)
    staging.rename(lib)
    manifest = {"version": version, "jars": len(jars), "size": size, "source": "maven",
                "installed": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "seconds": round(time.monotonic() - started, 1)}
    atomic_write(target / "install.json", json.dumps(manifest, indent=2) + "\n")
    return Installation(version, str(lib / "*"), "maven", len(jars), size, target)


def install_with_language_tool_python(
    version: str = LT_VERSION, echo: Callable[[str], None] = lambda _msg: None
) -> Installation:
    """Let language-tool-python download its LanguageTool release (needs general internet)."""
    echo(f"Asking language-tool-python to download LanguageTool {version} ...")
    try:
        from language_tool_python.download_lt import download_lt

        download_lt(version)
    except Exception as exc:  # its failures come in many types
        raise ServiceError(
            f"language-tool-python could not download LanguageTool {version} "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no detail'}); "
            f"install with Maven (`mtqa languagetool install`) or set {URL_ENV}"
        ) from None
    found = _language_tool_python_installation()
    if found is None:
        raise ServiceError("language-tool-python reported success but no LanguageTool jar is there")
    return found


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ServiceError(f"cannot run Maven ({exc}); {ALTERNATIVES}") from None


def _last_error(output: str) -> str:
    errors = [line.strip() for line in output.splitlines() if "[ERROR]" in line and line.strip()]
    text = errors[0] if errors else (output.strip().splitlines() or ["no output"])[-1]
    text = re.sub(r"\x1b\[[0-9;]*m", "", text).replace("[ERROR]", "").strip()
    return text[:300]


def _central_url(mvn: str) -> str | None:
    """Maven Central's address as Maven itself declares it (in its super POM)."""
    try:
        version = subprocess.run([mvn, "-v"], capture_output=True, text=True, timeout=60,
                                 check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"Maven home:\s*(.+)", re.sub(r"\x1b\[[0-9;]*m", "", version))
    if found is None:
        return None
    for jar in Path(found.group(1).strip()).glob("lib/maven-model-builder-*.jar"):
        try:
            with zipfile.ZipFile(jar) as archive:
                pom = archive.read("org/apache/maven/model/pom-4.0.0.xml").decode("utf-8")
        except (OSError, KeyError, zipfile.BadZipFile):
            continue
        central = re.search(r"<id>central</id>.*?<url>([^<]+)</url>", pom, re.DOTALL)
        if central:
            return central.group(1).strip()
    return None


_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<settings>
  <mirrors>
    <mirror>
      <id>mtqa-central-only</id>
      <mirrorOf>*</mirrorOf>
      <url>{url}</url>
    </mirror>
  </mirrors>
</settings>
"""
