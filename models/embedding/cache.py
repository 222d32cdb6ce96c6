"""Persistent embedding cache: (model fingerprint, text hash) -> float32 vector, in SQLite.

Embedding is the slowest step of a run (tens of segments per second on a 2-core office PC),
and the same segments are embedded again whenever a corpus is re-run or a classifier is
retrained. One SQLite file in WAL mode gives concurrent readers, serialised writers that wait
instead of failing (two Prefect workers or two terminals can run at once), atomic batches,
and a single file that is easy to delete. WAL needs a local file system; the data directory
is per-user local storage by default.

Keys are 16-byte BLAKE2b digests of prompt and text, so the database never stores interview
text (it may be confidential) and lookups stay compact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.home import subdir
from pipeline.errors import Errors, ModelError

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "2"  # 2: per-model vector counters
_CHUNK = 500  # bound on SQL variables per statement (old SQLite allows 999)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS models (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    dimension INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    vectors INTEGER NOT NULL DEFAULT 0  -- kept with every insert: COUNT(*) would read every vector
);
CREATE TABLE IF NOT EXISTS embeddings (
    model_id INTEGER NOT NULL REFERENCES models(id),
    key BLOB NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model_id, key)
) WITHOUT ROWID;
"""


def text_key(text: str, prompt_name: str | None) -> bytes:
    """The prompt is part of what the model sees, so it is part of the key."""
    payload = f"{prompt_name or ''}\x1f{text}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(payload, digest_size=16).digest()


@dataclass(frozen=True)
class CacheSize:
    vectors: int
    models: int
    bytes_on_disk: int


class EmbeddingCache:
    """Process- and thread-safe store of embeddings; one instance per data directory."""

    def __init__(self, path: Path | None = None, *, timeout: float = 120.0) -> None:
        self.path = (
            Path(path) if path is not None else subdir("cache", "embeddings") / "embeddings.sqlite3"
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.timeout = timeout
        self._model_ids: dict[str, int] = {}
        try:
            self._db = sqlite3.connect(
                str(self.path), timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._enable_wal(timeout)
            self._db.execute("PRAGMA synchronous = NORMAL")
            with self._write():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
                )
            (version,) = self._db.execute(
                "SELECT value FROM meta WHERE key='schema_version'"
            ).fetchone()
        except ModelError:
            raise
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc):
                raise ModelError.make(Errors.E412, path=self.path, timeout=timeout) from exc
            raise ModelError.make(Errors.E409, path=self.path, detail=str(exc)) from exc
        if version != SCHEMA_VERSION:
            self._db.close()
            raise ModelError.make(
                Errors.E409,
                path=self.path,
                detail=f"schema version {version}, expected {SCHEMA_VERSION}",
            )

    def _enable_wal(self, timeout: float) -> None:
        """Switching to WAL ignores the busy handler: when two processes open a new cache at
        the same moment, one gets "database is locked" at once. Retry within the timeout."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _write(self) -> _Transaction:
        return _Transaction(self._db, self._lock, self.path, self.timeout)

    def model_id(self, fingerprint: str, *, name: str = "", dimension: int = 0) -> int:
        """Row id for a model, registering it on first sight."""
        cached = self._model_ids.get(fingerprint)
        if cached is not None:
            return cached
        with self._write():
            self._db.execute(
                "INSERT OR IGNORE INTO models (fingerprint, name, dimension, created_at) "
                "VALUES (?, ?, ?, ?)",
                (
                    fingerprint,
                    name,
                    dimension,
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                ),
            )
            (model_id,) = self._db.execute(
                "SELECT id FROM models WHERE fingerprint = ?", (fingerprint,)
            ).fetchone()
        self._model_ids[fingerprint] = int(model_id)
        return int(model_id)

    def get_many(
        self, fingerprint: str, keys: Sequence[bytes], dimension: int, *, name: str = ""
    ) -> dict[bytes, np.ndarray]:
        """Cached vectors for whichever ``keys`` are present; absent keys are simply missing."""
        model_id = self.model_id(fingerprint, name=name, dimension=dimension)
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), _CHUNK):
                part = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT key, vector FROM embeddings WHERE model_id = ? AND key IN ({marks})",
                    (model_id, *part),
                ).fetchall()
                for key, blob in rows:
                    if len(blob) == 4 * dimension:
                        found[bytes(key)] = np.frombuffer(blob, dtype="<f4")
                    else:  # cannot happen for a sound fingerprint; recompute rather than trust it
                        logger.warning(
                            "ignoring cached vector of %d bytes (expected %d)",
                            len(blob),
                            4 * dimension,
                        )
        return found

    def put_many(
        self, fingerprint: str, items: Iterable[tuple[bytes, np.ndarray]], *, name: str = ""
    ) -> int:
        """Store vectors in one transaction; existing entries are kept (same key, same vector)."""
        rows = [(key, np.asarray(vec, dtype="<f4").tobytes()) for key, vec in items]
        if not rows:
            return 0
        dimension = len(rows[0][1]) // 4
        model_id = self.model_id(fingerprint, name=name, dimension=dimension)
        with self._write():
            before = self._db.total_changes
            self._db.executemany(
                "INSERT OR IGNORE INTO embeddings (model_id, key, vector) VALUES (?, ?, ?)",
                [(model_id, key, blob) for key, blob in rows],
            )
            inserted = self._db.total_changes - before
            self._db.execute(
                "UPDATE models SET vectors = vectors + ? WHERE id = ?", (inserted, model_id)
            )
        return inserted

    def size(self, fingerprint: str | None = None) -> CacheSize:
        """Vector and model counts (from per-model counters, O(models)) and bytes on disk."""
        with self._lock:
            where, params = ("WHERE fingerprint = ?", (fingerprint,)) if fingerprint else ("", ())
            (vectors,) = self._db.execute(
                f"SELECT COALESCE(SUM(vectors), 0) FROM models {where}", params
            ).fetchone()
            (models,) = self._db.execute("SELECT COUNT(*) FROM models").fetchone()
        on_disk = sum(
            p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file()
        )
        return CacheSize(int(vectors), int(models), on_disk)

    def clear(self, fingerprint: str | None = None) -> int:
        """Drop one model's vectors (or all); returns how many were removed."""
        with self._write():
            if fingerprint is None:
                removed = self._db.execute("DELETE FROM embeddings").rowcount
                self._db.execute("DELETE FROM models")
            else:
                removed = self._db.execute(
                    "DELETE FROM embeddings WHERE model_id IN "
                    "(SELECT id FROM models WHERE fingerprint = ?)",
                    (fingerprint,),
                ).rowcount
                self._db.execute("DELETE FROM models WHERE fingerprint = ?", (fingerprint,))
        self._model_ids.clear()
        return int(removed)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Transaction:
    """``BEGIN IMMEDIATE`` takes the write lock up front: two connections that both read and
    then try to write would otherwise deadlock and one would fail with "database is locked"."""

    def __init__(
        self, db: sqlite3.Connection, lock: threading.Lock, path: Path, timeout: float
    ) -> None:
        self._db, self._lock, self._path, self._timeout = db, lock, path, timeout

    def __enter__(self) -> None:
        self._lock.acquire()
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            self._lock.release()
            if "locked" in str(exc):
                raise ModelError.make(Errors.E412, path=self._path, timeout=self._timeout) from exc
            raise
        except BaseException:
            self._lock.release()
            raise

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        finally:
            self._lock.release()
