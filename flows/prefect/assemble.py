"""The last stage of a flow run: combine the batch parts into findings, once per input state.

Findings (themes, links, judgements) are corpus-wide, so this is the one step that sees every
segment; it streams over the parts batch by batch (:mod:`flows.prefect.findings_stream`), so
its memory does not grow with the corpus beyond what the findings themselves keep, and it is
skipped outright when the parts it would combine are the ones it combined last time
(``run.json`` records their keys). A source whose
content already appeared in an earlier batch is dropped here as a duplicate (E109), which
keeps batches independent of each other while they run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from flows.findings_write import write_findings
from flows.ingest_run import Skipped
from flows.io.atomic import write_json
from flows.prefect.batches import IngestBatch, WorkDir
from flows.prefect.corpus_tables import (
    CODE_SCHEMA,
    SEGMENTS,
    SOURCES,
    corpus_tables,
    link,
    write_jsonl,
    write_stream,
)
from flows.prefect.findings_stream import PartsReader, stream_findings
from models.codebooks import load_codebook
from pipeline.errors import Errors
from pipeline.findings.codes import code_row
from pipeline.refiqda.project import ExportOptions, write_qdpx
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


def _write_tables(
    out_dir: Path, corpus: Path, codes: Path, present: dict[str, bool], table_format: str
) -> None:
    """The corpus tables linked from ``corpus``; codes copied slice by slice from ``codes``.

    ``codes`` was written in pass 1 with every column typed; columns that turned out all
    missing become null-typed here, as the table written in one piece has them.
    """
    for name, target in (
        (SEGMENTS, out_dir / "ingest" / "segments.parquet"),
        (SOURCES, out_dir / "ingest" / "sources.parquet"),
    ):
        link(corpus / name, target)
    schema = _code_schema(present)
    slices = (
        pa.Table.from_arrays(
            [pa.nulls(len(b)) if f.type == pa.null() else b.column(f.name) for f in schema],
            schema=schema,
        )
        for b in pq.ParquetFile(codes).iter_batches(batch_size=_SLICE)
    )
    if table_format == "jsonl":
        segments = pq.ParquetFile(corpus / SEGMENTS).iter_batches(batch_size=_SLICE)
        write_jsonl(out_dir / "tables" / "segments.jsonl", (pa.table(b) for b in segments))
        write_jsonl(out_dir / "tables" / "codes.jsonl", slices)
    else:
        link(corpus / SEGMENTS, out_dir / "tables" / "segments.parquet")
        write_stream(out_dir / "tables" / "codes.parquet", schema, slices)


def _code_schema(present_in: dict[str, bool]) -> pa.Schema:
    """:data:`CODE_SCHEMA` with a null type where every row is missing, as pandas writes it.

    Readers then get the same dtypes as from the table written in one piece (an all-missing
    column comes back as ``object``, not as strings).
    """
    present = {
        "indicator": present_in.get("indicator", False),
        "scope": present_in.get("scope", False),
        "assessment": present_in.get("assessment", False),
        **dict.fromkeys(
            (n for n in CODE_SCHEMA.names if n.startswith("p_")),
            present_in.get("scores", False),
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
    reader = PartsReader(
        batches,
        kept,
        work.codes(codebook_id, model_version, fingerprint),
        work.embeddings(fingerprint),
        codebook.id,
    )
    work.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work.root, prefix=".codes-") as scratch:
        codes_file = Path(scratch) / "codes.parquet"
        with pq.ParquetWriter(codes_file, CODE_SCHEMA) as writer:
            reader.code_sink = lambda codes: writer.write_table(
                pa.Table.from_pylist([code_row(c) for c in codes], schema=CODE_SCHEMA)
            )
            findings, pseudonyms, order = stream_findings(reader, codebook)
        reader.code_sink = None

        def export(handle: IO[bytes]) -> None:
            sources = reader.bundles(order)
            write_qdpx(handle, findings, codebook, sources, reader.texts(order), export_options)

        write_findings(
            out_dir,
            findings,
            (),
            (),
            (),
            codebook=codebook,
            report_options=report_options,
            export_options=export_options,
            table_format=table_format,
            skip_tables=("segments", "codes"),
            pseudonymiser=pseudonyms,
            export=export,
        )
        _write_tables(out_dir, corpus, codes_file, reader.present, table_format)
    result.n_segments = findings.corpus.n_segments
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
            "n_segments": result.n_segments,
            "judgements": result.judgements,
            "sources": [{"path": r.path, "sha256": r.sha256} for r in refs],
            "skipped": [asdict(s) for s in skipped],
        },
    )
    return result
