"""Turn a model reference (alias, path, data-dir name or Hub id) into a local directory.

Telaah runs where nothing can be downloaded, so resolution is local first and downloads only
when asked for explicitly, never when ``HF_HUB_OFFLINE`` (or ``TRANSFORMERS_OFFLINE``) is
set. A reference that cannot be found locally fails at once with E401, naming the places that
were searched, instead of hanging on a network timeout deep inside a pipeline run.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from models.embedding.locations import (
    DEFAULT_ALIASES,
    default_embedder_path,
    embedders_dir,
    is_sentence_transformer_dir,
)
from pipeline.errors import Errors, ModelError

logger = logging.getLogger(__name__)

_TRUE = {"1", "on", "yes", "true"}


def hub_offline() -> bool:
    """Read at call time: huggingface_hub reads the variable once at import."""
    variables = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    return any(os.environ.get(var, "").strip().lower() in _TRUE for var in variables)


def resolve_model(reference: str | Path, *, allow_download: bool = False) -> tuple[str, Path]:
    """``(display name, local directory)`` for ``reference``; E401/E405 when unavailable."""
    ref = str(reference)
    if ref in DEFAULT_ALIASES:
        path = default_embedder_path()
        return path.name, path
    candidate = Path(ref).expanduser()
    if candidate.is_dir():
        return _checked(ref, candidate)
    in_data_dir = embedders_dir() / ref
    if "/" not in ref and in_data_dir.is_dir():
        return _checked(ref, in_data_dir)
    for repo_id in _hub_ids(ref):
        local = _hub_cache_snapshot(repo_id)
        if local is not None:
            return repo_id, local
    if hub_offline():
        raise _unavailable(ref, "HF_HUB_OFFLINE is set")
    if not allow_download:
        raise _unavailable(
            ref, "Telaah only loads local models unless a download is allowed explicitly"
        )
    return ref, _download(ref)


def _checked(ref: str, path: Path) -> tuple[str, Path]:
    if not (is_sentence_transformer_dir(path) or (path / "config.json").is_file()):
        raise _unavailable(
            ref, f"{path} exists but holds no model (no modules.json or config.json)"
        )
    return path.name, path.resolve()


def _hub_ids(ref: str) -> list[str]:
    if ref.count("/") > 1 or ref.startswith((".", "/", "~")):
        return []
    return [ref] if "/" in ref else [ref, f"sentence-transformers/{ref}"]


def _hub_cache_snapshot(repo_id: str) -> Path | None:
    """The newest fully cached snapshot of ``repo_id``, without any network access."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        path = Path(snapshot_download(repo_id=repo_id, local_files_only=True))
    except (LocalEntryNotFoundError, ValueError, OSError):
        return None
    return path if (path / "config.json").is_file() or is_sentence_transformer_dir(path) else None


def _download(ref: str) -> Path:
    from huggingface_hub import snapshot_download

    logger.info("downloading %s from the Hugging Face Hub", ref)
    try:
        return Path(snapshot_download(repo_id=ref))
    except Exception as exc:  # network, auth, missing repo: all mean "not available here"
        raise ModelError.make(
            Errors.E411, name=ref, detail=f"{type(exc).__name__}: {exc}", home=embedders_dir()
        ) from exc


def _unavailable(ref: str, detail: str) -> ModelError:
    return ModelError.make(Errors.E401, name=ref, detail=detail, home=embedders_dir())
