"""Ingest and segment a batch of files: the orchestration around the pure stages.

One broken file never sinks a batch: each source either yields its segments or a skip record
saying why. Each finished source is written to a part file keyed by its content hash and the
segmenter version, so an interrupted run resumes where it stopped and a re-run over an unchanged
corpus does no work; the combined tables are written atomically at the end.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from flows.io.atomic import write_json
from flows.io.discover import iter_sources
from flows.io.tables import read_table, segments_frame, transcript_row, write_table
from pipeline.errors import Errors, IngestError, TelaahError
from pipeline.ingest import MAX_BYTES, read_transcript
from pipeline.records import Transcript
from pipeline.segment import SpacySegmenter
from pipeline.segment.segmenter import Segmenter

log = logging.getLogger(__name__)
MANIFEST_VERSION = "1"


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


def _read(path: Path, max_bytes: int) -> bytes:
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


def _parse_all(
    paths: Sequence[Path], max_bytes: int, report: IngestReport, parts: Path, suffix: str
) -> Iterator[Transcript]:
    """Yield transcripts that need segmenting; record skips and reused parts in ``report``."""
    seen: dict[str, str] = {}
    for path in tqdm(paths, desc="ingest", unit="file", disable=len(paths) < 20):
        try:
            data = _read(path, max_bytes)
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                raise IngestError.make(
                    Errors.E109, path=str(path), original=seen[digest], digest=digest[:12]
                )
            seen[digest] = str(path)
            part = parts / f"{digest}.segments{suffix}"
            if part.exists() and (parts / f"{digest}.source.parquet").exists():
                report.reused += 1
                report.sources.append(
                    _summary(read_table(parts / f"{digest}.source.parquet"), part)
                )
                continue
            yield read_transcript(data, str(path), max_bytes=max_bytes)
        except TelaahError as exc:
            log.warning("%s", exc)
            report.skipped.append(Skipped(str(path), exc.code.name, str(exc)))
        except Exception as exc:  # a reader bug must not sink the batch
            log.error("unexpected error on %s:\n%s", path, traceback.format_exc())
            report.skipped.append(
                Skipped(str(path), "E199", f"{path}: internal error ({exc!r}); please report it")
            )


def _summary(source_frame: pd.DataFrame, part: Path) -> dict[str, object]:
    row = source_frame.iloc[0].to_dict()
    row.pop("text", None)
    row.pop("turns", None)
    row["n_segments"] = len(read_table(part))
    return row


def ingest_paths(
    paths: Iterable[str | Path],
    out_dir: Path,
    *,
    table_format: str = "parquet",
    max_bytes: int = MAX_BYTES,
    segmenter: Segmenter | None = None,
) -> IngestReport:
    """Read, parse and segment every source; write tables, parts and a manifest to ``out_dir``."""
    segmenter = segmenter or SpacySegmenter()
    suffix = ".jsonl" if table_format == "jsonl" else ".parquet"
    parts = out_dir / "parts" / segmenter.version
    parts.mkdir(parents=True, exist_ok=True)
    files = list(iter_sources(paths))
    report = IngestReport(out_dir=out_dir)
    pending = _parse_all(files, max_bytes, report, parts, suffix)
    batch: list[Transcript] = []
    progress = tqdm(desc="segment", unit="file", total=len(files), disable=len(files) < 20)

    def flush() -> None:
        for transcript, segments in zip(batch, segmenter.segment_batch(batch), strict=True):
            digest = transcript.source.sha256
            source_frame = pd.DataFrame([transcript_row(transcript)])
            write_table(segments_frame(segments), parts / f"{digest}.segments{suffix}")
            write_table(source_frame, parts / f"{digest}.source.parquet")  # last: marks done
            report.sources.append(_summary(source_frame, parts / f"{digest}.segments{suffix}"))
            progress.update(1)
        batch.clear()

    for transcript in pending:
        batch.append(transcript)
        if len(batch) >= 32:
            flush()
    flush()
    progress.close()
    _combine(report, parts, out_dir, suffix)
    return report


def _combine(report: IngestReport, parts: Path, out_dir: Path, suffix: str) -> None:
    digests = [str(s["sha256"]) for s in report.sources]
    segment_frames = [read_table(parts / f"{d}.segments{suffix}") for d in digests]
    source_frames = [read_table(parts / f"{d}.source.parquet") for d in digests]
    segments = (
        pd.concat(segment_frames, ignore_index=True) if segment_frames else segments_frame([])
    )
    sources = pd.concat(source_frames, ignore_index=True) if source_frames else pd.DataFrame()
    report.n_segments = len(segments)
    write_table(segments, out_dir / f"segments{suffix}")
    write_table(sources, out_dir / "sources.parquet")
    write_json(
        out_dir / "manifest.json",
        {
            "manifest_version": MANIFEST_VERSION,
            "segments_table": f"segments{suffix}",
            "sources_table": "sources.parquet",
            "n_sources": len(report.sources),
            "n_segments": report.n_segments,
            "n_skipped": len(report.skipped),
            "reused_from_previous_run": report.reused,
            "sources": report.sources,
            "skipped": [asdict(s) for s in report.skipped],
        },
    )
