"""The same flow on a Dask cluster through prefect-dask gives the same findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from distributed.diagnostics.plugin import SchedulerPlugin

from tests.flows.prefect.conftest import CODEBOOK, EMBEDDER_REF

pytestmark = pytest.mark.usefixtures("harness")


class _Finished(SchedulerPlugin):
    """Records every task key the Dask scheduler saw finish."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def transition(self, key: object, start: str, finish: str, *args: object, **kw: object) -> None:
        if finish == "memory":
            self.keys.add(str(key))


def test_flow_on_a_local_dask_cluster_matches_the_threaded_run(
    corpus: Path, trained_version: str, tmp_path: Path
) -> None:
    from distributed import LocalCluster

    from flows.prefect.code_flow import code_flow
    from flows.prefect.runners import task_runner

    arguments = {
        "paths": [str(corpus)],
        "codebook_id": CODEBOOK,
        "model_version": trained_version,
        "embedder_ref": EMBEDDER_REF,
        "files_per_batch": 1,
    }
    with LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        dashboard_address=None,
        protocol="tcp://",
        host="127.0.0.1",
    ) as cluster:
        finished = _Finished()
        cluster.scheduler.add_plugin(finished)
        runner = task_runner(dask_address=cluster.scheduler_address)
        on_dask = code_flow.with_options(task_runner=runner)(
            out_dir=str(tmp_path / "dask"), **arguments
        )
    ran = sorted(key.split("-")[0] for key in finished.keys)
    assert ran == ["assemble_task"] + ["code_task"] * 3 + ["ingest_task"] * 3, finished.keys
    threaded = code_flow(out_dir=str(tmp_path / "threads"), **arguments)
    assert on_dask["parsed"] == 3 and on_dask["classified_batches"] == 3
    assert on_dask["n_segments"] == threaded["n_segments"]
    assert json.loads((tmp_path / "dask" / "findings.json").read_text()) == json.loads(
        (tmp_path / "threads" / "findings.json").read_text()
    )


def test_an_unreachable_scheduler_fails_fast_with_its_own_error() -> None:
    from flows.prefect.runners import task_runner
    from pipeline.errors import Errors, TelaahError

    with pytest.raises(TelaahError) as caught:
        task_runner(dask_address="tcp://127.0.0.1:9")
    assert caught.value.code is Errors.E704
