"""The deployments ``telaah serve`` runs: recode on a cron schedule and on model promotion.

A deployment is the flow plus its parameters, schedule and triggers, registered with a
Prefect server so the server decides when it runs. Both ways in call the same recode flow,
which does nothing when neither the model nor the corpus changed, so a nightly schedule is a
cheap safety net for promotions whose event was never delivered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prefect.deployments.runner import RunnerDeployment
from prefect.events import DeploymentEventTrigger

from flows.prefect.batches import slug
from flows.prefect.code_flow import FILES_PER_BATCH, code_flow
from flows.prefect.events import PROMOTION_EVENT, codebook_resource
from flows.prefect.recode_flow import recode_flow

DEFAULT_CRON = "0 2 * * *"  # 02:00 every night, in the server's time zone


def recode_deployment(
    paths: Sequence[str],
    out_dir: str,
    codebook_id: str,
    *,
    cron: str | None = DEFAULT_CRON,
    embedder_ref: str | None = None,
    files_per_batch: int = FILES_PER_BATCH,
) -> RunnerDeployment:
    """Recode ``paths`` into ``out_dir`` nightly and whenever ``codebook_id`` gets a new model."""
    parameters: dict[str, Any] = {
        "paths": [str(p) for p in paths],
        "out_dir": str(out_dir),
        "codebook_id": codebook_id,
        "embedder_ref": embedder_ref,
        "files_per_batch": files_per_batch,
    }
    on_promotion = DeploymentEventTrigger(
        name=f"recode {codebook_id} when a model is promoted",
        expect={PROMOTION_EVENT},
        match={"prefect.resource.id": codebook_resource(codebook_id)["prefect.resource.id"]},
        parameters=parameters,
    )
    return recode_flow.to_deployment(
        name=f"recode-{slug(codebook_id)}",
        cron=cron,
        parameters=parameters,
        triggers=[on_promotion],
        tags=["telaah", "recode"],
        description="Recode the corpus with the promoted model; writes a versioned findings set and a diff.",
    )


def code_deployment(
    paths: Sequence[str], out_dir: str, codebook_id: str, *, embedder_ref: str | None = None
) -> RunnerDeployment:
    """The main job, run on demand from the UI or ``prefect deployment run``."""
    return code_flow.to_deployment(
        name=f"code-{slug(codebook_id)}",
        parameters={
            "paths": [str(p) for p in paths],
            "out_dir": str(out_dir),
            "codebook_id": codebook_id,
            "embedder_ref": embedder_ref,
        },
        tags=["telaah", "code"],
    )
