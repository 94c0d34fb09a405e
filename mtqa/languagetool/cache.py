"""A persistent cache of LanguageTool results per sentence, in SQLite.

The key is a hash of the sentence text and of everything that changes the answer: language,
LanguageTool version and rule configuration. Several runs may share the file (WAL journal,
busy timeout, one short transaction per write). A cache that cannot be used never stops a
check: a corrupt file is moved aside and rebuilt, a locked one is skipped for this run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from mtqa.languagetool.client import Match

#: Bump when the stored value format changes; an older file is rebuilt.
SCHEMA = "mtqa-languagetool-cache-1"
FILE_NAME = "languagetool.sqlite3"
_CHUNK = 500


def cache_key(config_key: str, sentence: str) -> bytes:
    """The row key of one sentence under one configuration."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(config_key.encode("utf-8"))
    digest.update(b"\x00")
    digest.update(sentence.encode("utf-8", "surrogatepass"))
    return digest.digest()


class ResultCache:
    """Sentence -> matches, for one configuration key."""

    def __init__(self, folder: Path, config_key: str, notice: Callable[[str], None]) -> None:
        self.path = folder / FILE_NAME
        self.config_key = config_key
        self._notice = notice
        self._db: sqlite3.Connection | None = None
        self.hits = 0
        self.writes = 0
        self._open(folder)

    @property
    def usable(self) -> bool:
        """False when the cache is off for this run (locked, unwritable)."""
        return self._db is not None

    def _open(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                with contextlib.suppress(OSError):
                    ignore.write_text("# Created by mtqa.\n*\n", encoding="utf-8")
        except OSError as exc:
            self._notice(f"result cache not used: cannot create {folder} ({exc.strerror})")
            return
        for attempt in range(2):
            try:
                self._db = self._connect()
                return
            except sqlite3.OperationalError as exc:
                if _locked(exc):
                    self._notice(f"result cache {self.path} is locked by another run; "
                                 "not used this time")
                    return
                if attempt == 0 and _corrupt(exc):
                    self._rebuild(exc)
                    continue
                self._notice(f"result cache not used: {exc}")
                return
            except sqlite3.DatabaseError as exc:
                if attempt == 0:
                    self._rebuild(exc)
                    continue
                self._notice(f"result cache not used: {exc}")
                return

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5.0, isolation_level=None,
                             check_same_thread=False)
        try:
            db.execute("PRAGMA busy_timeout = 5000")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()
            if mode is None:
                raise sqlite3.DatabaseError("cannot set the journal mode")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if row is None or row[0] != SCHEMA:
                db.execute("BEGIN IMMEDIATE")
                db.execute("DROP TABLE IF EXISTS results")
                db.execute("CREATE TABLE results (key BLOB PRIMARY KEY, value TEXT NOT NULL, "
                           "stored REAL NOT NULL) WITHOUT ROWID")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA,))
                db.execute("COMMIT")
            db.execute("SELECT count(*) FROM (SELECT 1 FROM results LIMIT 1)").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _rebuild(self, error: Exception) -> None:
        """Move a broken cache file aside (or delete it) so a fresh one can be made."""
        self.close()
        self._notice(f"result cache {self.path} was unreadable ({error}); rebuilt it")
        stamp = f"{os.getpid()}-{int(time.time())}"
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            with contextlib.suppress(OSError):
                if suffix:
                    part.unlink(missing_ok=True)
                elif part.exists():
                    part.replace(part.with_name(f"{part.name}.broken-{stamp}"))

    def get_many(self, sentences: Iterable[str]) -> dict[str, list[Match]]:
        """Cached matches of the sentences that have them."""
        if self._db is None:
            return {}
        wanted = {cache_key(self.config_key, s): s for s in sentences}
        keys = list(wanted)
        found: dict[str, list[Match]] = {}
        try:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, value FROM results WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, value in rows:
                    try:
                        found[wanted[bytes(key)]] = [Match.from_json(m) for m in json.loads(value)]
                    except (ValueError, TypeError, KeyError):
                        continue  # one bad row is a miss, not a failure
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and _locked(exc):
                self._notice(f"result cache {self.path} is locked; not used this time")
                self.close()
                return {}
            self._rebuild(exc)
            with contextlib.suppress(sqlite3.DatabaseError):
                self._db = self._connect()
            return {}
        self.hits += len(found)
        return found

    def put_many(self, results: Mapping[str, Sequence[Match]]) -> None:
        """Store matches per sentence in one transaction; failures only produce a notice."""
        if self._db is None or not results:
            return
        now = time.time()
        rows = [
            (cache_key(self.config_key, sentence),
             json.dumps([m.to_json() for m in matches], ensure_ascii=False,
                        separators=(",", ":")), now)
            for sentence, matches in results.items()
        ]
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?)", rows)
            self._db.execute("COMMIT")
            self.writes += len(rows)
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(sqlite3.DatabaseError):
                self._db.execute("ROLLBACK")
            self._notice(f"result cache not updated ({exc})")

    def close(self) -> None:
        """Close the database (idempotent)."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.DatabaseError):
                self._db.close()
            self._db = None


def _locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _corrupt(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "disk image" in text
