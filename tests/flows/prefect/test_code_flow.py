"""The main job as a Prefect flow: end to end, equal to the plain job, and skipping re-runs."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.flows.prefect.conftest import CODEBOOK, EMBEDDER_REF, SAMPLE

pytestmark = pytest.mark.usefixtures("harness")


def run_flow(corpus: Path, out: Path, **kwargs: object) -> dict:
    from flows.prefect.code_flow import code_flow

    return code_flow(
        paths=[str(corpus)],
        out_dir=str(out),
        codebook_id=CODEBOOK,
        embedder_ref=EMBEDDER_REF,
        files_per_batch=1,
        **kwargs,
    )


def mtimes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()
    }


def test_flow_codes_the_corpus_like_the_plain_job(
    corpus: Path, trained_version: str, tmp_path: Path
) -> None:
    from bench.hashing_embedder import hashing_embedder
    from flows.code_run import run_code_job

    summary = run_flow(corpus, tmp_path / "flow", model_version=trained_version)
    assert summary["n_files"] == 3 and summary["n_batches"] == 3 and summary["parsed"] == 3
    assert summary["embedded_batches"] == 3 and summary["classified_batches"] == 3
    assert summary["findings_rebuilt"] and not summary["skipped"]
    assert summary["model_version"] == f"{CODEBOOK}/{trained_version}"
    out = tmp_path / "flow"
    for name in ("findings.json", "report.html", "project.qdpx", "run.json"):
        assert (out / name).is_file(), name

    plain = run_code_job(
        [corpus], tmp_path / "plain", codebook_id=CODEBOOK, embedder=hashing_embedder()
    )
    assert plain.n_segments == summary["n_segments"] > 0
    flow_codes = pd.read_parquet(out / "tables" / "codes.parquet").sort_values("segment_id")
    plain_codes = pd.read_parquet(tmp_path / "plain" / "tables" / "codes.parquet")
    plain_codes = plain_codes.sort_values("segment_id")
    pd.testing.assert_frame_equal(
        flow_codes.drop(columns="indicators").reset_index(drop=True),
        plain_codes.drop(columns="indicators").reset_index(drop=True),
    )
    assert summary["judgements"] == plain.judgements


def test_rerun_skips_unchanged_sources_and_stages(
    corpus: Path, trained_version: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_flow(corpus, out, model_version=trained_version)
    before = mtimes(out)
    again = run_flow(corpus, out, model_version=trained_version)
    assert again["parsed"] == 0 and again["reused_sources"] == 3
    assert again["embedded_batches"] == 0 and again["classified_batches"] == 0
    assert not again["findings_rebuilt"] and again["unchanged"]  # the run manifest matched
    assert mtimes(out) == before  # nothing was rewritten

    # A file touched but not changed is hashed again (its status changed) and still matches.
    touched = corpus / "04_pendamping_pkh.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    assert run_flow(corpus, out, model_version=trained_version)["unchanged"]
    hashes = json.loads((out / "work" / "hashes.json").read_text())
    assert hashes[str(touched)][1] == touched.stat().st_mtime_ns

    grown = tmp_path / "grown"
    shutil.copytree(corpus, grown)
    shutil.copy(SAMPLE / "12_staf_sosial_plain.txt", grown / "12_staf_sosial_plain.txt")
    more = run_flow(grown, out, model_version=trained_version)
    assert more["parsed"] == 1 and more["reused_sources"] == 3
    assert more["embedded_batches"] == 1 and more["classified_batches"] == 1
    assert more["findings_rebuilt"] and not more["unchanged"]
    assert more["n_segments"] > again["n_segments"]
    run = json.loads((out / "run.json").read_text())
    assert len(run["sources"]) == 4


def test_duplicates_and_broken_files_are_reported_not_fatal(
    corpus: Path, trained_version: str, tmp_path: Path
) -> None:
    mixed = tmp_path / "mixed"
    shutil.copytree(corpus, mixed)
    shutil.copy(corpus / "01_kadis_sosial.txt", mixed / "99_copy.txt")  # another batch
    (mixed / "00_empty.txt").write_bytes(b"")
    summary = run_flow(mixed, tmp_path / "out", model_version=trained_version)
    codes = {s["code"] for s in summary["skipped"]}
    assert codes == {"E101", "E109"}
    segments = pd.read_parquet(tmp_path / "out" / "tables" / "segments.parquet")
    assert segments["id"].is_unique
    assert segments["source_id"].nunique() == 3


def test_flows_run_a_bounded_number_of_batches_at_once() -> None:
    """Prefect's default pool starts a thread per task: every batch would be in memory at once."""
    from flows.prefect.code_flow import code_flow
    from flows.prefect.recode_flow import recode_flow
    from flows.prefect.runners import DEFAULT_THREADS

    for flow_ in (code_flow, recode_flow):
        assert flow_.task_runner._max_workers == DEFAULT_THREADS  # type: ignore[attr-defined]
