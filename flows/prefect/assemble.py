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
import pyarrow as pa
import pyarrow.parquet as pq

from flows.findings_write import write_findings
from flows.ingest_run import Skipped
from flows.io.atomic import write_json
from flows.io.tables import transcripts_from_frame
from flows.prefect.batches import IngestBatch, WorkDir, read_sources
from flows.prefect.corpus_tables import (
    CODE_SCHEMA,
    SEGMENTS,
    SOURCES,
    batch_segments,
    corpus_tables,
    link,
    write_jsonl,
    write_stream,
)
from models.codebooks import load_codebook
from pipeline.errors import Errors
from pipeline.findings.build import build_findings
from pipeline.findings.codes import code_from_row, code_row
from pipeline.findings.pseudonymise import Pseudonymiser
from pipeline.records import Code, Segment, Transcript
from pipeline.refiqda.project import ExportOptions
from pipeline.report.people import ReportOptions

log = logging.getLogger(__name__)
RUN_FILE = "run.json"
RUN_VERSION = "2"
_SLICE = 8192


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


def _read_parts(
    batches: Sequence[IngestBatch],
    kept: Sequence[IngestBatch],
    codes_dir: Path,
    vectors_dir: Path,
    codebook_id: str,
) -> tuple[list[Transcript], list[Segment], list[Code], np.ndarray]:
    """Records for the findings, read part by part straight from Arrow (no pandas copies)."""
    transcripts: list[Transcript] = []
    segments: list[Segment] = []
    codes: list[Code] = []
    vectors: list[np.ndarray] = []
    for original, batch in zip(batches, kept, strict=True):
        if not batch.sources:
            continue
        table, mask = batch_segments(original, batch)
        batch_vectors = np.load(vectors_dir / f"{original.key}.npy")
        rows = pq.read_table(codes_dir / f"{original.key}.parquet", columns=["row"])
        texts = rows.column("row").to_pylist()
        if mask is not None:  # drop duplicates of earlier batches
            batch_vectors = batch_vectors[mask]
            texts = [t for t, keep in zip(texts, mask.tolist(), strict=True) if keep]
        segments += [Segment(**row) for row in table.to_pylist()]
        codes += [code_from_row(json.loads(t), codebook_id) for t in texts]
        vectors.append(batch_vectors.astype(np.float32, copy=False))
        transcripts += transcripts_from_frame(read_sources(batch.sources).to_pandas())
    embeddings = np.concatenate(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
    return transcripts, segments, codes, embeddings


def _write_tables(out_dir: Path, corpus: Path, codes: Sequence[Code], table_format: str) -> None:
    """The corpus tables linked from ``corpus``; codes streamed in slices."""
    for name, target in (
        (SEGMENTS, out_dir / "ingest" / "segments.parquet"),
        (SOURCES, out_dir / "ingest" / "sources.parquet"),
    ):
        link(corpus / name, target)
    schema = _code_schema(codes)
    slices = (
        pa.Table.from_pylist([code_row(c) for c in codes[i : i + _SLICE]], schema=schema)
        for i in range(0, len(codes), _SLICE)
    )
    if table_format == "jsonl":
        segments = pq.ParquetFile(corpus / SEGMENTS).iter_batches(batch_size=_SLICE)
        write_jsonl(out_dir / "tables" / "segments.jsonl", (pa.table(b) for b in segments))
        write_jsonl(out_dir / "tables" / "codes.jsonl", slices)
    else:
        link(corpus / SEGMENTS, out_dir / "tables" / "segments.parquet")
        write_stream(out_dir / "tables" / "codes.parquet", schema, slices)


def _code_schema(codes: Sequence[Code]) -> pa.Schema:
    """:data:`CODE_SCHEMA` with a null type where every row is missing, as pandas writes it.

    Readers then get the same dtypes as from the table written in one piece (an all-missing
    column comes back as ``object``, not as strings).
    """
    present = {
        "indicator": any(c.indicator is not None for c in codes),
        "scope": any(c.scope is not None for c in codes),
        "assessment": any(c.assessment is not None for c in codes),
        **dict.fromkeys(
            (n for n in CODE_SCHEMA.names if n.startswith("p_")),
            any(c.function_scores for c in codes),
        ),
    }
    fields = [
        pa.field(f.name, pa.null()) if present.get(f.name, True) is False else f
        for f in CODE_SCHEMA
    ]
    return pa.schema(fields)


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
    corpus = corpus_tables(batches, kept, work)
    transcripts, segments, codes, embeddings = _read_parts(
        batches,
        kept,
        work.codes(codebook_id, model_version, fingerprint),
        work.embeddings(fingerprint),
        codebook.id,
    )
    pseudonyms = Pseudonymiser.from_transcripts(transcripts)  # once, for findings and reports
    findings = build_findings(
        transcripts, segments, codes, embeddings, codebook, pseudonyms=pseudonyms
    )
    del embeddings
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
        skip_tables=("segments", "codes"),
        pseudonymiser=pseudonyms,
    )
    _write_tables(out_dir, corpus, codes, table_format)
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
