"""The main job: ingest -> segment -> embed -> classify -> themes -> findings, with timings.

Plain orchestration over the pure stages, usable without any Prefect server; the Prefect flow
wraps the same steps for batching, persistence and scheduling. Each step's output is written
to ``out_dir`` as it completes, so a failure late in the job loses nothing earlier.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from flows.classify_run import classify_texts, load_or_train
from flows.embed_stage import embed_model_texts
from flows.findings_write import write_findings
from flows.ingest_run import IngestReport, ingest_paths
from flows.io.tables import segments_from_frame, transcripts_from_frame
from models.codebooks import load_codebook
from models.embedding import default_embedder
from models.embedding.protocol import Embedder
from pipeline.findings import FindingsOptions, build_findings
from pipeline.findings.codes import codes_from_rows
from pipeline.records import Code, Segment
from pipeline.refiqda.project import ExportOptions
from pipeline.report.people import ReportOptions

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class CodeRunSummary:
    out_dir: Path
    ingest: IngestReport
    model_version: str = ""
    n_segments: int = 0
    functions: dict[str, int] = field(default_factory=dict)
    judgements: dict[str, str] = field(default_factory=dict)
    n_themes: int = 0
    n_links: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)


def _timed(summary: CodeRunSummary, stage: str, action: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = action()
    summary.timings[stage] = time.perf_counter() - started
    log.info("%s took %.1fs", stage, summary.timings[stage])
    return result


def classify_segments(
    segments: Sequence[Segment],
    embeddings: np.ndarray,
    codebook_id: str,
    embedder: Embedder,
    version: str | None,
) -> tuple[list[Code], str]:
    model, entry = load_or_train(codebook_id, embedder, version)
    rows = classify_texts(
        [s.id for s in segments], [s.text for s in segments], model, embedder, embeddings
    )
    model_version = f"{codebook_id}/{entry.version}"
    for row in rows:
        row["model_version"] = model_version
    return codes_from_rows(rows, codebook_id), model_version


def run_code_job(
    paths: Iterable[str | Path],
    out_dir: Path,
    *,
    codebook_id: str,
    model_version: str | None = None,
    embedder: Embedder | None = None,
    report_options: ReportOptions | None = None,
    export_options: ExportOptions | None = None,
    table_format: str = "parquet",
    max_bytes: int | None = None,
) -> CodeRunSummary:
    out_dir = Path(out_dir)
    embedder = embedder or default_embedder()
    codebook = load_codebook(codebook_id)
    kwargs: dict[str, Any] = {"max_bytes": max_bytes} if max_bytes else {}
    started = time.perf_counter()
    ingest = ingest_paths(paths, out_dir / "ingest", table_format="parquet", **kwargs)
    summary = CodeRunSummary(out_dir, ingest)
    summary.timings["ingest+segment"] = time.perf_counter() - started
    transcripts = transcripts_from_frame(pd.read_parquet(out_dir / "ingest" / "sources.parquet"))
    segments = segments_from_frame(pd.read_parquet(out_dir / "ingest" / "segments.parquet"))
    summary.n_segments = len(segments)
    embeddings = _timed(
        summary, "embed", lambda: embed_model_texts([s.text for s in segments], embedder)
    )
    codes, summary.model_version = _timed(
        summary,
        "classify",
        lambda: classify_segments(segments, embeddings, codebook.id, embedder, model_version),
    )
    findings = _timed(
        summary,
        "themes+findings",
        lambda: build_findings(
            transcripts, segments, codes, embeddings, codebook, options=FindingsOptions()
        ),
    )
    written = _timed(
        summary,
        "write",
        lambda: write_findings(
            out_dir,
            findings,
            transcripts,
            segments,
            codes,
            codebook=codebook,
            report_options=report_options,
            export_options=export_options,
            table_format=table_format,
        ),
    )
    summary.files = dict(written.files)
    for code in codes:
        summary.functions[code.function] = summary.functions.get(code.function, 0) + 1
    summary.judgements = {item.id: item.judgement.label for item in findings.indicators}
    summary.n_themes = len(findings.themes)
    summary.n_links = len(findings.links)
    return summary
