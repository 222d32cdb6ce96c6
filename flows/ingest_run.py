"""Ingest and segment a batch of files: the orchestration around the pure stages.

One broken file never sinks a batch: each source either yields its segments or a skip record
saying why. Finished sources are written in batches to part files under ``parts/<segmenter
version>/``, so an interrupted run resumes where it stopped and a re-run over an unchanged corpus
does no work (a changed segmenter version recomputes everything). The combined tables are
streamed from the parts and written atomically at the end.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm import tqdm

from flows.io.atomic import atomic_path, write_json
from flows.io.discover import iter_sources
from flows.io.tables import (
    SEGMENT_SCHEMA,
    SOURCE_SCHEMA,
    segments_table,
    sources_table,
    write_arrow,
)
from pipeline.errors import Errors, IngestError, TelaahError
from pipeline.ingest import MAX_BYTES, read_transcript
from pipeline.records import Transcript
from pipeline.segment import SpacySegmenter
from pipeline.segment.segmenter import Segmenter

log = logging.getLogger(__name__)
MANIFEST_VERSION = "1"
BATCH = 64
_SUMMARY_COLUMNS = [f for f in SOURCE_SCHEMA.names if f not in ("text", "turns")]


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    code: str
    reason: str


@dataclass
class IngestReport:
    out_dir: Path
    sources: list[dict[str, object]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    n_segments: int = 0
    reused: int = 0

    @property
    def ok(self) -> bool:
        return not self.skipped


def read_source_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a file, refusing oversized ones before reading them."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError.make(
            Errors.E113, path=str(path), detail=exc.strerror or str(exc)
        ) from exc
    if size > max_bytes:
        raise IngestError.make(
            Errors.E102, path=str(path), size_mb=size / 1e6, limit_mb=max_bytes / 1e6
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError.make(
            Errors.E113, path=str(path), detail=exc.strerror or str(exc)
        ) from exc


def finished_sources(parts: Path) -> dict[str, Path]:
    """Content hash -> part file holding it, for every source a previous run completed."""
    done: dict[str, Path] = {}
    for part in sorted(parts.glob("*.sources.parquet")):
        for digest in pq.read_table(part, columns=["sha256"]).column("sha256").to_pylist():
            done[digest] = part
    return done


def _parse_all(
    paths: Sequence[Path],
    max_bytes: int,
    report: IngestReport,
    done: dict[str, Path],
    order: list[str],
) -> Iterator[Transcript]:
    """Yield transcripts that need segmenting; record skips and reused sources in ``report``."""
    seen: dict[str, str] = {}
    for path in tqdm(paths, desc="ingest", unit="file", disable=len(paths) < 50):
        try:
            data = read_source_bytes(path, max_bytes)
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                raise IngestError.make(
                    Errors.E109, path=str(path), original=seen[digest], digest=digest[:12]
                )
            seen[digest] = str(path)
            if digest in done:
                report.reused += 1
                order.append(digest)
                continue
            transcript = read_transcript(data, str(path), max_bytes=max_bytes)
            order.append(digest)
            yield transcript
        except TelaahError as exc:
            log.warning("%s", exc)
            report.skipped.append(Skipped(str(path), exc.code.name, str(exc)))
        except Exception as exc:  # a reader bug must not sink the batch
            log.error("unexpected error on %s:\n%s", path, traceback.format_exc())
            report.skipped.append(
                Skipped(str(path), "E199", f"{path}: internal error ({exc!r}); please report it")
            )


def _write_batch(
    batch: list[Transcript], segmenter: Segmenter, parts: Path, done: dict[str, Path]
) -> None:
    segments = [s for group in segmenter.segment_batch(batch) for s in group]
    key = hashlib.sha256("".join(t.source.sha256 for t in batch).encode()).hexdigest()[:16]
    write_arrow(segments_table(segments), parts / f"{key}.segments.parquet")
    write_arrow(
        sources_table(batch), parts / f"{key}.sources.parquet"
    )  # last: marks the batch done
    for transcript in batch:
        done[transcript.source.sha256] = parts / f"{key}.sources.parquet"


def ingest_paths(
    paths: Iterable[str | Path],
    out_dir: Path,
    *,
    table_format: str = "parquet",
    max_bytes: int = MAX_BYTES,
    segmenter: Segmenter | None = None,
    batch_size: int = BATCH,
) -> IngestReport:
    """Read, parse and segment every source; write tables, parts and a manifest to ``out_dir``."""
    segmenter = segmenter or SpacySegmenter()
    parts = out_dir / "parts" / segmenter.version
    parts.mkdir(parents=True, exist_ok=True)
    files = list(iter_sources(paths))
    report = IngestReport(out_dir=out_dir)
    done = finished_sources(parts)
    order: list[str] = []
    batch: list[Transcript] = []
    for transcript in _parse_all(files, max_bytes, report, done, order):
        batch.append(transcript)
        if len(batch) >= batch_size:
            _write_batch(batch, segmenter, parts, done)
            batch = []
    if batch:
        _write_batch(batch, segmenter, parts, done)
    _combine(report, order, done, out_dir, table_format)
    return report


def _filtered(part: Path, column: str, wanted: pa.Array, schema: pa.Schema) -> pa.Table:
    table = pq.read_table(part, schema=schema)
    return table.filter(pc.is_in(table.column(column), value_set=wanted))


def _combine(
    report: IngestReport, order: list[str], done: dict[str, Path], out_dir: Path, table_format: str
) -> None:
    """Stream the parts holding this run's sources into the combined tables."""
    wanted = pa.array(order, type=pa.string())
    wanted_ids = pa.array([d[:16] for d in order], type=pa.string())
    part_files = list(dict.fromkeys(done[d] for d in order))
    source_tables = [_filtered(p, "sha256", wanted, SOURCE_SCHEMA) for p in part_files]
    sources = pa.concat_tables(source_tables) if source_tables else SOURCE_SCHEMA.empty_table()
    position = {digest: i for i, digest in enumerate(order)}
    sources = sources.take(
        sorted(range(sources.num_rows), key=lambda i: position[sources["sha256"][i].as_py()])
    )
    segments_target = out_dir / f"segments.{'jsonl' if table_format == 'jsonl' else 'parquet'}"
    n_segments = 0
    counts: dict[str, int] = {}
    if table_format == "jsonl":
        tables = [
            _filtered(
                Path(str(p).replace(".sources.", ".segments.")),
                "source_id",
                wanted_ids,
                SEGMENT_SCHEMA,
            )
            for p in part_files
        ]
        combined = pa.concat_tables(tables) if tables else SEGMENT_SCHEMA.empty_table()
        write_arrow(combined, segments_target)
        n_segments = combined.num_rows
        for sid in combined.column("source_id").to_pylist():
            counts[sid] = counts.get(sid, 0) + 1
    else:
        with atomic_path(segments_target) as tmp, pq.ParquetWriter(tmp, SEGMENT_SCHEMA) as writer:
            for part in part_files:
                table = _filtered(
                    Path(str(part).replace(".sources.", ".segments.")),
                    "source_id",
                    wanted_ids,
                    SEGMENT_SCHEMA,
                )
                writer.write_table(table)
                n_segments += table.num_rows
                for sid in table.column("source_id").to_pylist():
                    counts[sid] = counts.get(sid, 0) + 1
    write_arrow(sources, out_dir / "sources.parquet")
    report.n_segments = n_segments
    report.sources = [
        {**row, "n_segments": counts.get(str(row["source_id"]), 0)}
        for row in sources.select(_SUMMARY_COLUMNS).to_pylist()
    ]
    write_json(
        out_dir / "manifest.json",
        {
            "manifest_version": MANIFEST_VERSION,
            "segments_table": segments_target.name,
            "sources_table": "sources.parquet",
            "n_sources": len(report.sources),
            "n_segments": n_segments,
            "n_skipped": len(report.skipped),
            "reused_from_previous_run": report.reused,
            "sources": report.sources,
            "skipped": [asdict(s) for s in report.skipped],
        },
    )
