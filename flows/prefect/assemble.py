"""The last stage of a flow run: combine the batch parts into findings, once per input state.

Findings (themes, links, judgements) are corpus-wide, so this is the one step that sees every
segment; it reads the parts batch by batch and is skipped outright when the parts it would
combine are the ones it combined last time (``run.json`` records their keys). A source whose
content already appeared in an earlier batch is dropped here as a duplicate (E109), which
keeps batches independent of each other while they run.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from flows.findings_write import write_findings
from flows.ingest_run import Skipped
from flows.io.atomic import write_json
from flows.io.tables import segments_from_frame, transcripts_from_frame, write_arrow
from flows.prefect.batches import (
    IngestBatch,
    WorkDir,
    read_codes_frame,
    read_segments,
    read_sources,
)
from models.codebooks import load_codebook
from pipeline.errors import Errors
from pipeline.findings.build import FindingsOptions, build_findings
from pipeline.findings.codes import codes_from_rows
from pipeline.refiqda.project import ExportOptions
from pipeline.report.people import ReportOptions

log = logging.getLogger(__name__)
RUN_FILE = "run.json"
RUN_VERSION = "1"


@dataclass
class Assembled:
    out_dir: str
    skipped_as_unchanged: bool
    n_sources: int
    n_segments: int
    skipped: list[Skipped] = field(default_factory=list)
    judgements: dict[str, str] = field(default_factory=dict)


def _duplicates(batches: Sequence[IngestBatch]) -> tuple[list[IngestBatch], list[Skipped]]:
    """Keep the first file of each content hash across batches; later ones become E109 skips."""
    seen: dict[str, str] = {}
    kept: list[IngestBatch] = []
    skipped: list[Skipped] = []
    for batch in batches:
        refs = []
        for ref in batch.sources:
            if ref.sha256 in seen:
                message = Errors.E109.value.format(
                    path=ref.path, original=seen[ref.sha256], digest=ref.sha256[:12]
                )
                skipped.append(Skipped(ref.path, "E109", f"[E109] {message}"))
                continue
            seen[ref.sha256] = ref.path
            refs.append(ref)
        kept.append(batch if len(refs) == len(batch.sources) else IngestBatch(tuple(refs)))
    return kept, skipped


def findings_key(batches: Sequence[IngestBatch], model_key: str, settings: dict[str, Any]) -> str:
    payload = json.dumps(
        {"batches": [b.key for b in batches], "model": model_key, "settings": settings},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _previous_key(out_dir: Path) -> str | None:
    file = out_dir / RUN_FILE
    if not file.exists() or not (out_dir / "findings.json").exists():
        return None
    return json.loads(file.read_text()).get("findings_key")


def assemble(
    batches: Sequence[IngestBatch],
    work: WorkDir,
    out_dir: Path,
    *,
    codebook_id: str,
    model_version: str,
    fingerprint: str,
    table_format: str = "parquet",
    report_options: ReportOptions | None = None,
    export_options: ExportOptions | None = None,
) -> Assembled:
    """Build and write findings from the parts, unless ``out_dir`` already holds these."""
    kept, duplicates = _duplicates(batches)
    skipped = [s for b in batches for s in b.skipped] + duplicates
    refs = [r for b in kept for r in b.sources]
    settings = {
        "table_format": table_format,
        "report": repr(report_options),
        "export": repr(export_options),
        "codebook": codebook_id,
    }
    settings["duplicates"] = sorted(s.path for s in duplicates)
    key = findings_key(batches, f"{codebook_id}/{model_version}@{fingerprint}", settings)
    result = Assembled(str(out_dir), False, len(refs), 0, skipped)
    if _previous_key(out_dir) == key:
        previous = json.loads((out_dir / RUN_FILE).read_text())
        result.skipped_as_unchanged = True
        result.n_segments = int(previous.get("n_segments", 0))
        result.judgements = dict(previous.get("judgements", {}))
        return result
    codebook = load_codebook(codebook_id)
    codes_dir = work.codes(codebook_id, model_version, fingerprint)
    vectors_dir = work.embeddings(fingerprint)
    segment_tables: list[pa.Table] = []
    vectors: list[np.ndarray] = []
    rows: list[pd.DataFrame] = []
    for original, batch in zip(batches, kept, strict=True):
        if not batch.sources:
            continue
        table = read_segments(original.sources)
        batch_vectors = np.load(vectors_dir / f"{original.key}.npy")
        batch_rows = read_codes_frame(codes_dir / f"{original.key}.parquet")
        if len(batch.sources) != len(original.sources):  # drop duplicates of earlier batches
            wanted = [r.source_id for r in batch.sources]
            mask = np.isin(table.column("source_id").to_numpy(zero_copy_only=False), wanted)
            table = table.filter(pa.array(mask))
            batch_vectors = batch_vectors[mask]
            batch_rows = batch_rows[mask]
        segment_tables.append(table)
        vectors.append(batch_vectors)
        rows.append(batch_rows)
    segments_table = pa.concat_tables(segment_tables) if segment_tables else None
    segments = segments_from_frame(segments_table.to_pandas()) if segments_table else []
    transcripts = transcripts_from_frame(read_sources(refs).to_pandas()) if refs else []
    code_rows = [r for frame in rows for r in frame.to_dict("records")]
    codes = codes_from_rows(code_rows, codebook.id)
    embeddings = np.concatenate(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
    findings = build_findings(
        transcripts, segments, codes, embeddings, codebook, options=FindingsOptions()
    )
    write_findings(
        out_dir,
        findings,
        transcripts,
        segments,
        codes,
        codebook=codebook,
        report_options=report_options,
        export_options=export_options,
        table_format=table_format,
    )
    if segments_table is not None:
        write_arrow(read_sources(refs), out_dir / "ingest" / "sources.parquet")
        write_arrow(segments_table, out_dir / "ingest" / "segments.parquet")
    result.n_segments = len(segments)
    result.judgements = {item.id: item.judgement.label for item in findings.indicators}
    write_json(
        out_dir / RUN_FILE,  # last: its key marks these findings complete
        {
            "run_version": RUN_VERSION,
            "findings_key": key,
            "codebook": codebook.id,
            "model_version": f"{codebook.id}/{model_version}",
            "embedder": fingerprint,
            "n_sources": len(refs),
            "n_segments": len(segments),
            "judgements": result.judgements,
            "sources": [{"path": r.path, "sha256": r.sha256} for r in refs],
            "skipped": [asdict(s) for s in skipped],
        },
    )
    return result
