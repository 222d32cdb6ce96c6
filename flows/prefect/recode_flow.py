"""Recode a corpus with the promoted model into a new versioned findings set, plus a diff.

Layout under ``out_dir``: ``work/`` holds the parts shared by every version (ingest parts and
embeddings are reused whenever the segmenter and embedder are unchanged, so a new classifier
head only re-runs classification and findings); ``versions/<model version>/`` holds each
version's findings, report and ``diff.{json,md}`` against the version before it;
``latest.json`` names the newest complete one. Runs from a schedule, from the promotion event,
or by hand; with no new model and no new sources it does nothing but check.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from prefect import flow

from flows.io.atomic import write_json
from flows.prefect.batches import WorkDir, slug
from flows.prefect.code_flow import FILES_PER_BATCH, WORK_DIR_NAME, run_batches
from flows.prefect.diff import diff_findings, write_diff
from flows.prefect.runners import bounded_threads
from models.codebooks import load_codebook
from models.registry import Registry
from pipeline.errors import Errors, ModelError
from pipeline.ingest import MAX_BYTES
from pipeline.segment.segmenter import SEGMENTER_VERSION

log = logging.getLogger(__name__)
VERSIONS_DIR = "versions"
LATEST_FILE = "latest.json"


def latest_version(out_dir: Path) -> dict[str, str] | None:
    file = out_dir / LATEST_FILE
    return json.loads(file.read_text()) if file.exists() else None


@flow(name="telaah-recode", log_prints=False, task_runner=bounded_threads())
def recode_flow(
    paths: list[str],
    out_dir: str,
    codebook_id: str,
    embedder_ref: str | None = None,
    files_per_batch: int = FILES_PER_BATCH,
    table_format: str = "parquet",
    max_mb: float = MAX_BYTES / 1e6,
) -> dict[str, Any]:
    """Code ``paths`` with the promoted model into ``out_dir/versions/<version>``."""
    out = Path(out_dir)
    codebook = load_codebook(codebook_id)
    version = Registry().promoted_version(codebook.id)
    if version is None:
        raise ModelError.make(Errors.E703, codebook=codebook.id)
    folder_name = f"{slug(codebook.id)}-{version}"
    target = out / VERSIONS_DIR / folder_name
    previous = latest_version(out)
    summary = run_batches(
        paths,
        target,
        WorkDir(out / WORK_DIR_NAME, SEGMENTER_VERSION),
        codebook_id=codebook.id,
        model_version=version,
        embedder_ref=embedder_ref,
        files_per_batch=files_per_batch,
        max_bytes=int(max_mb * 1e6),
        table_format=table_format,
    )
    result: dict[str, Any] = {**summary.as_dict(), "previous": None, "diff": None}
    if previous and previous["folder"] != folder_name:
        old = out / VERSIONS_DIR / previous["folder"]
        if (old / "findings.json").exists():
            diff = diff_findings(old, target)
            write_diff(diff, target)
            result["previous"] = previous["folder"]
            result["diff"] = {
                "changed_segments": len(diff.changed_segments),
                "judgements": len(diff.judgements),
                "themes_added": len(diff.themes_added),
                "themes_removed": len(diff.themes_removed),
            }
    write_json(out / LATEST_FILE, {"version": version, "folder": folder_name})
    log.info("recode %s: %s", folder_name, result["diff"])
    return result
