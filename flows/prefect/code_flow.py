"""The main job as a Prefect flow: a task per batch of files, results kept as part files.

Each ingest task reads, parses and segments one batch of files (skipping sources a part
already holds); each code task embeds and classifies one batch's segments (skipping the steps
whose parts exist); the assemble task builds and writes findings once every batch is coded,
unless its inputs are unchanged since the last run. Code tasks start as soon as their own
ingest batch is done, so parsing, embedding and classifying overlap across batches.

The flow only orchestrates: every stage is the same pure function the plain ``telaah code``
uses, so the plain CLI keeps working with no Prefect server at all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from prefect import flow, task

from flows.io.discover import iter_sources
from flows.prefect.assemble import Assembled, assemble
from flows.prefect.batches import (
    CodedBatch,
    IngestBatch,
    WorkDir,
    code_batch,
    ingest_batch,
)
from flows.prefect.manifest import (
    content_digest,
    hash_files,
    previous_summary,
    record,
    run_key,
)
from flows.prefect.resources import resolve_embedder, resolve_model_version
from flows.prefect.runners import bounded_threads
from models.codebooks import load_codebook
from pipeline.findings.model import FINDINGS_VERSION
from pipeline.ingest import MAX_BYTES
from pipeline.segment.segmenter import SEGMENTER_VERSION

log = logging.getLogger(__name__)
FILES_PER_BATCH = 64
WORK_DIR_NAME = "work"

# Part files are the persistence that skipping relies on; Prefect's own result cache would
# key on task inputs and could hand back a result whose files were since deleted. Results are
# still persisted (one file per task run, in PREFECT_LOCAL_STORAGE_PATH) for the UI and retries;
# a storage key unique to the task run turns Prefect's input-keyed cache off.
_TASK_OPTIONS: dict[str, Any] = {
    "persist_result": True,
    "result_storage_key": "{task_run.task_name}-{task_run.id}",
}


@task(name="ingest-batch", **_TASK_OPTIONS)
def ingest_task(
    files: list[str], parts: str, max_bytes: int, known: dict[str, str] | None = None
) -> IngestBatch:
    return ingest_batch(files, Path(parts), max_bytes, known)


@task(name="embed-classify-batch", **_TASK_OPTIONS)
def code_task(
    batch: IngestBatch, work: WorkDir, codebook_id: str, version: str, embedder_ref: str | None
) -> CodedBatch:
    if not batch.sources:
        return CodedBatch(batch.key, 0, embedded=False, classified=False)
    return code_batch(batch, work, codebook_id, version, embedder_ref)


@task(name="findings", **_TASK_OPTIONS)
def assemble_task(
    batches: list[IngestBatch],
    coded: list[CodedBatch],
    work: WorkDir,
    out_dir: str,
    codebook_id: str,
    version: str,
    fingerprint: str,
    table_format: str,
) -> Assembled:
    del coded  # an input only so that findings wait for every batch
    return assemble(
        batches,
        work,
        Path(out_dir),
        codebook_id=codebook_id,
        model_version=version,
        fingerprint=fingerprint,
        table_format=table_format,
    )


@dataclass
class FlowSummary:
    """What a run did: enough for the CLI, the tests and the benchmark to check skipping."""

    out_dir: str
    model_version: str
    n_files: int = 0
    n_batches: int = 0
    parsed: int = 0
    reused_sources: int = 0
    embedded_batches: int = 0
    classified_batches: int = 0
    findings_rebuilt: bool = False
    unchanged: bool = False  # the run manifest matched: nothing was submitted
    n_segments: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    judgements: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def batched(items: Sequence[str], size: int) -> list[list[str]]:
    return [list(items[i : i + size]) for i in range(0, len(items), max(1, size))]


def run_batches(
    paths: Sequence[str],
    out_dir: Path,
    work: WorkDir,
    *,
    codebook_id: str,
    model_version: str | None,
    embedder_ref: str | None,
    files_per_batch: int,
    max_bytes: int,
    table_format: str,
) -> FlowSummary:
    """Submit the batch tasks of one run from inside a flow and wait for its findings.

    Returns the recorded summary at once when the run manifest says the outputs in
    ``out_dir`` were made from exactly these inputs (see :mod:`flows.prefect.manifest`).
    """
    started = time.perf_counter()
    codebook = load_codebook(codebook_id)
    files = [str(p) for p in iter_sources(paths)]
    hashes = hash_files(files, work.root, max_bytes)
    version = resolve_model_version(codebook.id, model_version, embedder_ref)
    fingerprint = resolve_embedder(embedder_ref).fingerprint
    key = run_key(
        hashes,
        codebook=content_digest(codebook),
        model=f"{codebook.id}/{version}",
        embedder=fingerprint,
        segmenter=work.segmenter_version,
        files_per_batch=files_per_batch,
        max_bytes=max_bytes,
        table_format=table_format,
        findings=FINDINGS_VERSION,
    )
    previous = previous_summary(out_dir, key)
    if previous is not None:
        summary = FlowSummary(**previous)
        summary.reused_sources += summary.parsed
        summary.parsed = summary.embedded_batches = summary.classified_batches = 0
        summary.findings_rebuilt, summary.unchanged = False, True
        summary.seconds = time.perf_counter() - started
        return summary
    chunks = batched(files, files_per_batch)
    ingests = [
        ingest_task.submit(chunk, str(work.ingest), max_bytes, {f: hashes[f] for f in chunk})
        for chunk in chunks
    ]
    coded = [code_task.submit(f, work, codebook.id, version, embedder_ref) for f in ingests]
    batches = [f.result() for f in ingests]
    results = [f.result() for f in coded]
    assembled = assemble_task.submit(
        batches, results, work, str(out_dir), codebook.id, version, fingerprint, table_format
    ).result()
    summary = FlowSummary(
        out_dir=str(out_dir),
        model_version=f"{codebook.id}/{version}",
        n_files=len(files),
        n_batches=len(chunks),
        parsed=sum(b.parsed for b in batches),
        reused_sources=sum(b.reused for b in batches),
        embedded_batches=sum(r.embedded for r in results),
        classified_batches=sum(r.classified for r in results),
        findings_rebuilt=not assembled.skipped_as_unchanged,
        n_segments=assembled.n_segments,
        skipped=[asdict(s) for s in assembled.skipped],
        judgements=assembled.judgements,
        seconds=time.perf_counter() - started,
    )
    record(out_dir, key, summary.as_dict())
    return summary


@flow(
    name="telaah-code",
    log_prints=False,
    task_runner=bounded_threads(),
    validate_parameters=True,
)
def code_flow(
    paths: list[str],
    out_dir: str,
    codebook_id: str,
    model_version: str | None = None,
    embedder_ref: str | None = None,
    files_per_batch: int = FILES_PER_BATCH,
    work_dir: str | None = None,
    table_format: str = "parquet",
    max_mb: float = MAX_BYTES / 1e6,
) -> dict[str, Any]:
    """Code ``paths`` into ``out_dir``; parts go to ``work_dir`` (default ``out_dir/work``)."""
    out = Path(out_dir)
    work = WorkDir(Path(work_dir) if work_dir else out / WORK_DIR_NAME, SEGMENTER_VERSION)
    summary = run_batches(
        paths,
        out,
        work,
        codebook_id=codebook_id,
        model_version=model_version,
        embedder_ref=embedder_ref,
        files_per_batch=files_per_batch,
        max_bytes=int(max_mb * 1e6),
        table_format=table_format,
    )
    log.info("code flow: %s", summary)
    return summary.as_dict()
