"""Where Telaah keeps what it builds: models, caches and Prefect state.

Everything built (never committed) lives under one per-user data directory so that a fresh
checkout stays small and two checkouts on one machine share the expensive default model.
``TELAAH_HOME`` overrides it; tests point it at a temporary directory.
"""

from __future__ import annotations

import os
from pathlib import Path


def telaah_home() -> Path:
    """Return the data directory, creating it on first use."""
    configured = os.environ.get("TELAAH_HOME")
    if configured:
        root = Path(configured).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        root = Path(base) / "telaah"
    root.mkdir(parents=True, exist_ok=True)
    return root


def subdir(*parts: str) -> Path:
    """A named area of the data directory (``models``, ``cache/embeddings``, ...), created."""
    path = telaah_home().joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path
