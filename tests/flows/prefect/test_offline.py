"""Quiet and offline: Prefect's state stays in our directory and nothing reaches outside."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.flows.prefect.conftest import CODEBOOK, EMBEDDER_REF, NETGUARD_LOG


def test_the_network_guard_catches_an_outside_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Positive control: without it, an empty log would prove nothing."""
    log = tmp_path / "attempts.log"
    monkeypatch.setenv("TELAAH_NETGUARD_LOG", str(log))
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
    with pytest.raises(OSError):
        socket.getaddrinfo("api.prefect.cloud", 443)
    assert log.read_text().count("\n") == 2


@pytest.mark.usefixtures("harness")
def test_a_flow_run_makes_no_outside_connection_and_keeps_state_in_our_home(
    corpus: Path, trained_version: str, prefect_root: Path, tmp_path: Path
) -> None:
    from prefect.settings import get_current_settings

    from flows.prefect.code_flow import code_flow

    settings = get_current_settings()
    home = prefect_root / "prefect"
    assert settings.home == home
    assert settings.results.local_storage_path == home / "results"
    assert settings.server.analytics_enabled is False
    assert settings.server.ui.show_promotional_content is False

    code_flow(
        paths=[str(corpus)],
        out_dir=str(tmp_path / "out"),
        codebook_id=CODEBOOK,
        model_version=trained_version,
        embedder_ref=EMBEDDER_REF,
    )
    assert any((home / "results").iterdir())  # persisted task results, in our home only
    attempts = NETGUARD_LOG.read_text()  # this process, the test server, flow subprocesses
    assert attempts == "", attempts


def test_the_plain_cli_does_not_import_prefect() -> None:
    code = (
        "import sys; from flows.cli.main import build_parser; build_parser(); "
        "sys.exit('prefect' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_environment_points_everything_at_one_directory(tmp_path: Path) -> None:
    from flows.prefect.settings import environment

    values = environment(tmp_path / "p")
    for key in ("PREFECT_HOME", "PREFECT_LOCAL_STORAGE_PATH", "PREFECT_PROFILES_PATH"):
        assert Path(values[key]).is_relative_to(tmp_path / "p"), key
    assert values["PREFECT_SERVER_DATABASE_CONNECTION_URL"].endswith(
        str(tmp_path / "p" / "prefect.db")
    )
    assert values["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert values["DO_NOT_TRACK"] == "1"
    assert int(values["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]) >= 60
