"""``telaah serve``'s server: local only, state in our directory, PostgreSQL by a setting."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest


def test_local_server_answers_on_loopback_and_keeps_its_database_in_our_home(
    tmp_path: Path,
) -> None:
    from flows.prefect.server import start_server

    server = start_server(port=_free_port(), home=tmp_path / "prefect")
    try:
        assert server.api_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{server.api_url}/health", timeout=5) as response:
            assert json.loads(response.read()) is True
    finally:
        server.stop()
    assert server.process.poll() is not None
    assert (tmp_path / "prefect" / "prefect.db").exists()
    assert server.log_path.is_relative_to(tmp_path / "prefect")


def test_postgresql_is_one_setting_away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.prefect.settings import DATABASE_URL_VARIABLE, environment

    url = "postgresql+asyncpg://telaah:secret@db.example:5432/prefect"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    assert environment(tmp_path)["PREFECT_SERVER_DATABASE_CONNECTION_URL"] == url


def test_serve_and_flow_commands_are_registered() -> None:
    from flows.cli.main import build_parser

    parser = build_parser()
    args = parser.parse_args(
        ["serve", "corpus", "--codebook", "x", "--out", "o", "--cron", "5 1 * * *"]
    )
    assert args.cron == "5 1 * * *" and args.host == "127.0.0.1"
    args = parser.parse_args(
        ["flow", "recode", "corpus", "--codebook", "x", "--out", "o", "--dask-workers", "2"]
    )
    assert args.flow_command == "recode" and args.dask_workers == 2


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
