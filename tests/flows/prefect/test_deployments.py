"""The recode deployment is registered with its cron schedule and its promotion trigger."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.flows.prefect.conftest import CODEBOOK

pytestmark = pytest.mark.usefixtures("harness")


def test_recode_deployment_has_a_cron_schedule_and_a_promotion_trigger(tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client

    from flows.prefect.deployments import recode_deployment
    from flows.prefect.events import PROMOTION_EVENT

    deployment = recode_deployment(
        [str(tmp_path)], str(tmp_path / "out"), CODEBOOK, cron="15 3 * * *"
    )
    deployment_id = deployment.apply()
    with get_client(sync_client=True) as client:
        stored = client.read_deployment(deployment_id)
        assert [s.schedule.cron for s in stored.schedules] == ["15 3 * * *"]  # type: ignore[union-attr]
        assert stored.parameters["codebook_id"] == CODEBOOK
        automations = client.read_automations_by_name(deployment.triggers[0].name)
    assert len(automations) == 1
    trigger = automations[0].trigger
    assert trigger.expect == {PROMOTION_EVENT}  # type: ignore[union-attr]
    wanted = trigger.match["prefect.resource.id"]  # type: ignore[union-attr]
    assert (wanted if isinstance(wanted, list) else [wanted]) == [f"telaah.codebook.{CODEBOOK}"]
    action = automations[0].actions[0]
    assert action.type == "run-deployment"
    assert action.deployment_id == deployment_id  # type: ignore[union-attr]
    assert action.parameters["out_dir"] == str(tmp_path / "out")  # type: ignore[union-attr]


def test_promotion_event_is_sent_only_when_a_prefect_api_is_configured() -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.prefect.events import PROMOTION_EVENT, emit_promotion_event

    event = {
        "event": PROMOTION_EVENT, "codebook": CODEBOOK, "version": "v7", "previous": "v6",
        "embedder": "fp", "reason": "test", "time": "2026-01-01T00:00:00+00:00",
    }  # fmt: skip
    sent = emit_promotion_event(event, flush=True)
    assert sent is not None
    assert sent.event == PROMOTION_EVENT
    assert sent.resource.id == f"telaah.codebook.{CODEBOOK}"
    assert sent.resource["telaah.model.version"] == "v7"
    assert sent.payload["previous"] == "v6"
    assert emit_promotion_event({**event, "event": "something.else"}) is None
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert emit_promotion_event(event) is None
