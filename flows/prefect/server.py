"""A local Prefect server for ``telaah serve``: bound to 127.0.0.1, state in Telaah's home.

The server is a child process running ``prefect server start`` with the environment of
:mod:`flows.prefect.settings` (SQLite in the data directory by default, PostgreSQL when
``TELAAH_PREFECT_DATABASE_URL`` is set; telemetry off). Its output goes to ``server.log``
beside the database, so the terminal shows Telaah's messages only.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from flows.prefect.settings import STARTUP_TIMEOUT_SECONDS, environment, prefect_home
from pipeline.errors import Errors, TelaahError

log = logging.getLogger(__name__)
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4200


@dataclass
class LocalServer:
    process: subprocess.Popen[bytes]
    api_url: str
    log_path: Path

    @property
    def ui_url(self) -> str:
        return self.api_url.removesuffix("/api")

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the server to shut down; kill it if it does not within ``timeout``."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start_server(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = STARTUP_TIMEOUT_SECONDS,
    home: Path | None = None,
) -> LocalServer:
    """Start ``prefect server start`` and wait until its API answers (E702 if it does not).

    ``home`` replaces Prefect's directory for this server only (tests use a temporary one).
    """
    env = {**os.environ, **environment(home)}
    env.pop("PREFECT_API_URL", None)  # the server must not point at another server
    log_path = prefect_home(home) / "server.log"
    api_url = f"http://{host}:{port}/api"
    command = [
        sys.executable,
        "-m",
        "prefect",
        "server",
        "start",
        "--host",
        host,
        "--port",
        str(port),
    ]
    with log_path.open("ab") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    server = LocalServer(process, api_url, log_path)
    deadline = time.monotonic() + timeout
    while not _healthy(api_url):
        if process.poll() is not None or time.monotonic() > deadline:
            detail = (
                f"exit status {process.returncode}" if process.poll() is not None else "timeout"
            )
            server.stop()
            raise TelaahError.make(
                Errors.E702, url=api_url, timeout=timeout, detail=detail, port=port, log=log_path
            )
        time.sleep(0.5)
    log.info("Prefect server at %s (UI: %s), log in %s", api_url, server.ui_url, log_path)
    return server
