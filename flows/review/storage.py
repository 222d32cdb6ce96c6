"""The review database: segments with their suggestions, and every coder decision ever made.

SQLite in WAL mode with ``synchronous=FULL``: each decision is its own committed transaction,
so stopping the app (or losing power) mid-review loses at most the click in flight. Decisions
are append-only events (who, when, before, after); undo marks an event undone instead of
deleting it, and ``decisions`` keeps the latest live event per (segment, coder) so the queue,
progress and agreement never scan the whole history. Indexed columns make filtering and
paging cheap on hundreds of thousands of segments.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.errors import Errors, TelaahError

log = logging.getLogger(__name__)

ACTIONS = ("accept", "change", "reject")
LABEL_FIELDS = ("indicator", "function", "scope", "assessment")
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    source_id TEXT PRIMARY KEY, name TEXT, role TEXT, office TEXT, text TEXT, turns TEXT
);
CREATE TABLE IF NOT EXISTS segments (
    pos INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, source_id TEXT, source_name TEXT,
    turn_index INTEGER, speaker TEXT, role TEXT, role_category TEXT, start INTEGER,
    "end" INTEGER, text TEXT NOT NULL, normalized TEXT, question TEXT,
    indicator TEXT, indicator_score REAL, function TEXT, function_score REAL, scope TEXT,
    assessment TEXT, model_version TEXT, confidence REAL, scores TEXT,
    queue_rank INTEGER, uncertainty REAL
);
CREATE INDEX IF NOT EXISTS seg_queue ON segments (queue_rank);
CREATE INDEX IF NOT EXISTS seg_indicator ON segments (indicator, queue_rank);
CREATE INDEX IF NOT EXISTS seg_function ON segments (function, queue_rank);
CREATE INDEX IF NOT EXISTS seg_source ON segments (source_id, queue_rank);
CREATE INDEX IF NOT EXISTS seg_conf ON segments (confidence);
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT, segment_id TEXT NOT NULL, coder TEXT NOT NULL,
    time TEXT NOT NULL, action TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL,
    indicator TEXT, function TEXT, scope TEXT, assessment TEXT,
    undone INTEGER NOT NULL DEFAULT 0, undone_time TEXT
);
CREATE INDEX IF NOT EXISTS rev_coder ON reviews (coder, undone, id);
CREATE INDEX IF NOT EXISTS rev_segment ON reviews (segment_id, coder);
CREATE TABLE IF NOT EXISTS decisions (
    segment_id TEXT NOT NULL, coder TEXT NOT NULL, review_id INTEGER NOT NULL,
    PRIMARY KEY (segment_id, coder)
);
CREATE INDEX IF NOT EXISTS dec_coder ON decisions (coder);
"""


@dataclass(frozen=True)
class Filters:
    """What the coder narrowed the queue to; ``None`` means no restriction."""

    indicator: str | None = None
    function: str | None = None
    source_id: str | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if self.indicator == "(none)":
            clauses.append("s.indicator IS NULL")
        elif self.indicator:
            clauses.append("s.indicator = ?")
            params.append(self.indicator)
        for column, value in (("function", self.function), ("source_id", self.source_id)):
            if value:
                clauses.append(f"s.{column} = ?")
                params.append(value)
        if self.min_confidence is not None:
            clauses.append("s.confidence >= ?")
            params.append(self.min_confidence)
        if self.max_confidence is not None:
            clauses.append("s.confidence <= ?")
            params.append(self.max_confidence)
        return (" AND ".join(clauses) or "1=1"), params


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class ReviewStore:
    """One SQLite file; a lock serialises writers because the web server is threaded."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    # ---- metadata and loading
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def n_segments(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM segments").fetchone()[0])

    def insert_sources(self, rows: Sequence[dict[str, Any]]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO sources VALUES (:source_id, :name, :role, :office, :text, :turns)",
                rows,
            )

    def upsert_segments(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert new segments or refresh the suggestions of known ones (after a retrain)."""
        columns = [
            "id", "source_id", "source_name", "turn_index", "speaker", "role", "role_category",
            "start", "end", "text", "normalized", "question", "indicator", "indicator_score",
            "function", "function_score", "scope", "assessment", "model_version", "confidence",
            "scores", "queue_rank", "uncertainty",
        ]  # fmt: skip
        quoted = ", ".join(f'"{c}"' for c in columns)
        update = ", ".join(f'"{c}" = excluded."{c}"' for c in columns[12:])
        sql = (
            f"INSERT INTO segments ({quoted}) VALUES ({', '.join(':' + c for c in columns)}) "
            f"ON CONFLICT(id) DO UPDATE SET {update}"
        )
        with self.transaction() as conn:
            conn.executemany(sql, rows)

    # ---- reading
    def segment(self, segment_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM segments WHERE id = ?", (segment_id,)).fetchone()
        return _segment_dict(row) if row else None

    def source(self, source_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT * FROM sources WHERE source_id = ?", (source_id,)
        ).fetchone()
        return dict(row) if row else None

    def queue(
        self, coder: str, filters: Filters, limit: int = 1, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Unreviewed segments for ``coder`` in queue order (most informative first)."""
        where, params = filters.where()
        rows = self.conn.execute(
            f"SELECT s.* FROM segments s WHERE {where} AND NOT EXISTS "
            "(SELECT 1 FROM decisions d WHERE d.segment_id = s.id AND d.coder = ?) "
            "ORDER BY s.queue_rank LIMIT ? OFFSET ?",
            [*params, coder, limit, offset],
        ).fetchall()
        return [_segment_dict(r) for r in rows]

    def count_remaining(self, coder: str, filters: Filters) -> int:
        where, params = filters.where()
        return int(
            self.conn.execute(
                f"SELECT COUNT(*) FROM segments s WHERE {where} AND NOT EXISTS "
                "(SELECT 1 FROM decisions d WHERE d.segment_id = s.id AND d.coder = ?)",
                [*params, coder],
            ).fetchone()[0]
        )

    def facets(self) -> dict[str, Any]:
        """Values for the filter menus."""
        q = self.conn.execute
        return {
            "indicators": [
                r[0]
                for r in q(
                    "SELECT DISTINCT indicator FROM segments WHERE indicator IS NOT NULL ORDER BY 1"
                )
            ],
            "functions": [r[0] for r in q("SELECT DISTINCT function FROM segments ORDER BY 1")],
            "sources": [
                dict(r) for r in q("SELECT source_id, name, role FROM sources ORDER BY name")
            ],
        }

    # ---- writing decisions
    def record(
        self, coder: str, segment_id: str, action: str, after: dict[str, Any] | None = None
    ) -> int:
        """Store one decision; ``accept`` copies the suggestion, ``reject`` stores no labels."""
        if action not in ACTIONS:
            raise TelaahError.make(Errors.E803, action=action, expected=", ".join(ACTIONS))
        if not coder.strip():
            raise TelaahError.make(Errors.E804)
        segment = self.segment(segment_id)
        if segment is None:
            raise TelaahError.make(Errors.E802, segment=segment_id)
        before = {f: segment[f] for f in LABEL_FIELDS}
        if action == "accept":
            labels = dict(before)
        elif action == "reject":
            labels = dict.fromkeys(LABEL_FIELDS)
        else:
            labels = {f: (after or {}).get(f, before[f]) or None for f in LABEL_FIELDS}
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO reviews (segment_id, coder, time, action, before, after, indicator, "
                "function, scope, assessment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (segment_id, coder, now(), action, json.dumps(before), json.dumps(labels),
                 labels["indicator"], labels["function"], labels["scope"], labels["assessment"]),
            )  # fmt: skip
            review_id = int(cursor.lastrowid or 0)
            conn.execute(
                "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?)", (segment_id, coder, review_id)
            )
        log.debug("%s %s %s", coder, action, segment_id)
        return review_id

    def undo(self, coder: str) -> str | None:
        """Undo the coder's latest live decision; returns its segment id (back in the queue)."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT id, segment_id FROM reviews WHERE coder = ? AND undone = 0 ORDER BY id DESC LIMIT 1",
                (coder,),
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE reviews SET undone = 1, undone_time = ? WHERE id = ?", (now(), row["id"])
            )
            previous = conn.execute(
                "SELECT id FROM reviews WHERE coder = ? AND segment_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1",
                (coder, row["segment_id"]),
            ).fetchone()
            if previous is None:
                conn.execute(
                    "DELETE FROM decisions WHERE segment_id = ? AND coder = ?",
                    (row["segment_id"], coder),
                )
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?)",
                    (row["segment_id"], coder, previous["id"]),
                )
            return str(row["segment_id"])

    # ---- reading decisions
    def progress(self, coder: str) -> dict[str, int]:
        row = self.conn.execute(
            "SELECT COUNT(*) AS reviewed, SUM(r.action = 'accept') AS agreed, "
            "SUM(r.action = 'change') AS changed, SUM(r.action = 'reject') AS rejected "
            "FROM decisions d JOIN reviews r ON r.id = d.review_id WHERE d.coder = ?",
            (coder,),
        ).fetchone()
        counts = {k: int(row[k] or 0) for k in ("reviewed", "agreed", "changed", "rejected")}
        return {**counts, "total": self.n_segments()}

    def current_decisions(self, coder: str | None = None) -> list[dict[str, Any]]:
        """The live decision per (segment, coder), joined with the segment's text and suggestion."""
        sql = (
            "SELECT r.*, s.text, s.indicator AS model_indicator, s.function AS model_function "
            "FROM decisions d JOIN reviews r ON r.id = d.review_id JOIN segments s ON s.id = d.segment_id"
        )
        rows = self.conn.execute(
            sql + (" WHERE d.coder = ?" if coder else ""), (coder,) if coder else ()
        ).fetchall()
        return [dict(r) for r in rows]

    def history(self) -> list[dict[str, Any]]:
        """Every event ever stored, undone ones included (the export)."""
        return [dict(r) for r in self.conn.execute("SELECT * FROM reviews ORDER BY id")]

    def coders(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT coder FROM decisions ORDER BY 1")]


def _segment_dict(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["scores"] = json.loads(out["scores"] or "{}")
    return out
