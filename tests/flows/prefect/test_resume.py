"""A run killed midway resumes without redoing finished batches and ends identical."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.flows.prefect.conftest import CODEBOOK, EMBEDDER_REF, SLOW_EMBEDDER_REF

pytestmark = pytest.mark.usefixtures("harness")

CHILD = """
import sys
from flows.prefect.code_flow import code_flow  # first: it pins Prefect's settings
from prefect.task_runners import ThreadPoolTaskRunner
one_at_a_time = code_flow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))
one_at_a_time(paths=[sys.argv[1]], out_dir=sys.argv[2], codebook_id=sys.argv[3],
              model_version=sys.argv[4], embedder_ref=sys.argv[5], files_per_batch=1)
"""


def parts(out: Path, kind: str) -> set[str]:
    pattern = "*.sources.parquet" if kind == "ingest" else "*.parquet"
    return {p.name for p in (out / "work" / kind).rglob(pattern)}


def kill_when_first_batch_is_coded(command: list[str], env: dict[str, str], out: Path) -> None:
    child = subprocess.Popen(
        command, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 150
        while not parts(out, "codes"):
            if child.poll() is not None:
                pytest.fail(f"the run ended before it could be killed: {child.stderr.read()!r}")
            assert time.monotonic() < deadline, "no batch was coded in time"
            time.sleep(0.05)
    finally:
        with contextlib.suppress(ProcessLookupError):  # already gone: nothing to kill
            os.killpg(child.pid, signal.SIGKILL)  # the child and any process it started
        child.wait()


def test_killed_run_resumes_without_redoing_work_and_matches_an_uninterrupted_run(
    corpus: Path, trained_version: str, tmp_path: Path
) -> None:
    from prefect.settings import PREFECT_API_URL

    from flows.prefect.code_flow import code_flow
    from models.registry import Registry

    # The child gets its own data directory (a copy of the registry, an empty embedding cache)
    # so its slow embedder really runs, and talks to this session's Prefect test server.
    child_home = tmp_path / "child_home"
    shutil.copytree(Registry().root, child_home / "registry")
    env = {
        **os.environ,
        "TELAAH_HOME": str(child_home),
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
    }
    out = tmp_path / "killed"
    command = [
        sys.executable,
        "-c",
        CHILD,
        str(corpus),
        str(out),
        CODEBOOK,
        trained_version,
        SLOW_EMBEDDER_REF,
    ]
    kill_when_first_batch_is_coded(command, env, out)

    coded_before = parts(out, "codes")
    ingested_before = parts(out, "ingest")
    assert 1 <= len(coded_before) < 3
    assert not (out / "findings.json").exists()
    stamps = {p: p.stat().st_mtime_ns for p in (out / "work").rglob("*.parquet")}

    resumed = code_flow(
        paths=[str(corpus)], out_dir=str(out), codebook_id=CODEBOOK,
        model_version=trained_version, embedder_ref=EMBEDDER_REF, files_per_batch=1,
    )  # fmt: skip
    assert resumed["classified_batches"] == 3 - len(coded_before)
    assert resumed["parsed"] == 3 - len(ingested_before)
    assert all(p.stat().st_mtime_ns == t for p, t in stamps.items())  # finished parts untouched

    reference = tmp_path / "reference"
    code_flow(
        paths=[str(corpus)], out_dir=str(reference), codebook_id=CODEBOOK,
        model_version=trained_version, embedder_ref=EMBEDDER_REF, files_per_batch=1,
    )  # fmt: skip
    assert json.loads((out / "findings.json").read_text()) == json.loads(
        (reference / "findings.json").read_text()
    )
    for table in ("segments", "codes", "indicators", "themes", "links"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(out / "tables" / f"{table}.parquet"),
            pd.read_parquet(reference / "tables" / f"{table}.parquet"),
        )
    segments = pd.read_parquet(out / "tables" / "segments.parquet")
    assert segments["id"].is_unique and segments["source_id"].nunique() == 3
