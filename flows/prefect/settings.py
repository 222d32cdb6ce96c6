"""Prefect's environment, set in one place before Prefect is imported.

Prefect reads its settings once, when it is first imported, and by default keeps its state in
``~/.prefect`` and sends anonymous usage data. Telaah handles confidential interviews on
machines that may have no internet, so every Prefect setting that touches disk or network is
pinned here: home, database and result storage live in Telaah's data directory (or a temporary
one in tests), telemetry is off, and the ephemeral server gets enough time to start on a slow
office PC. ``flows/prefect/__init__.py`` calls :func:`configure_environment`, so importing
any module of this package is enough.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from models.home import subdir

log = logging.getLogger(__name__)

DATABASE_URL_VARIABLE = "TELAAH_PREFECT_DATABASE_URL"
"""Set to a ``postgresql+asyncpg://...`` URL to keep Prefect's state in PostgreSQL."""

STARTUP_TIMEOUT_SECONDS = 180
_QUIET = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
    "PREFECT_CLI_PROMPT": "false",
}


HOME_VARIABLE = "TELAAH_PREFECT_HOME"
"""Overrides Prefect's directory (tests point it at a temporary one; child processes inherit it)."""


def prefect_home(home: Path | None = None) -> Path:
    """Prefect's directory: ``<TELAAH_HOME>/prefect`` unless told otherwise."""
    configured = os.environ.get(HOME_VARIABLE)
    if home is not None:
        path = home
    elif configured:
        path = Path(configured)
    else:
        path = subdir("prefect")
    path.mkdir(parents=True, exist_ok=True)
    return path


def environment(home: Path | None = None) -> dict[str, str]:
    """The variables :func:`configure_environment` sets, also handed to child processes."""
    root = prefect_home(home)
    storage = root / "results"
    storage.mkdir(exist_ok=True)
    database = os.environ.get(DATABASE_URL_VARIABLE) or (
        "sqlite+aiosqlite:///" + str(root / "prefect.db")
    )
    timeout = max(
        int(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS") or 0),
        STARTUP_TIMEOUT_SECONDS,
    )
    return {
        "PREFECT_HOME": str(root),
        "PREFECT_PROFILES_PATH": str(root / "profiles.toml"),
        "PREFECT_LOCAL_STORAGE_PATH": str(storage),
        "PREFECT_RESULTS_LOCAL_STORAGE_PATH": str(storage),
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": database,
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": str(timeout),
        "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
        **_QUIET,
    }


def configure_environment(home: Path | None = None) -> dict[str, str]:
    """Pin Prefect's settings in ``os.environ``; warn if Prefect was imported too early.

    Called again with another ``home`` (a test), it re-points everything there, which only
    takes effect for processes started afterwards if Prefect is already imported.
    """
    values = environment(home)
    os.environ.update(values)
    if "prefect" in sys.modules and home is None:
        log.debug("prefect was imported before Telaah configured it; settings may not apply")
    return values
