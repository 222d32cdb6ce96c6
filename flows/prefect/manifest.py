"""The run-level manifest: an unchanged corpus, model and codebook return the last outputs.

Part files already let every batch skip its own work, but a re-run that only confirms this
still pays a Prefect task per batch, reads every source to hash it, and opens every part.
The manifest answers the whole question at once, before any task is submitted: the run key
hashes what the outputs depend on (each file's content hash, the model version, the
embedder, the codebook's content, the batching and output settings); when the output
folder's ``manifest.json`` holds the same key next to a complete ``findings.json``, the run
returns the recorded summary and touches nothing.

Content hashes are cached by file status (path, size, modification time) in the work
directory, as git's index does, so a re-run re-reads only files whose status changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from flows.io.atomic import write_json

log = logging.getLogger(__name__)
MANIFEST_FILE = "manifest.json"
HASHES_FILE = "hashes.json"
MANIFEST_VERSION = "1"
_CHUNK = 1 << 20


def _sha256(path: Path, limit: int) -> str | None:
    """Content hash, or ``None`` for files ingest refuses by size (never read whole)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        read = 0
        while chunk := handle.read(_CHUNK):
            read += len(chunk)
            if read > limit:
                return None
            digest.update(chunk)
    return digest.hexdigest()


def hash_files(files: Sequence[str], work_root: Path, max_bytes: int) -> dict[str, str]:
    """Path -> content hash (or a status stamp for unreadable/oversized files), cached."""
    cache_file = work_root / HASHES_FILE
    try:
        cache: dict[str, list[Any]] = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        cache = {}
    out: dict[str, str] = {}
    fresh: dict[str, list[Any]] = {}
    for name in files:
        try:
            stat = Path(name).stat()
        except OSError as exc:
            out[name] = f"unreadable:{exc.errno}"
            continue
        stamp = [stat.st_size, stat.st_mtime_ns]
        cached = cache.get(name)
        if cached is not None and cached[:2] == stamp:
            digest = cached[2]
        else:
            try:
                digest = _sha256(Path(name), max_bytes)
            except OSError as exc:
                digest = None
                log.debug("cannot hash %s: %s", name, exc)
        fresh[name] = [*stamp, digest]
        out[name] = digest or f"unhashed:{stat.st_size}:{stat.st_mtime_ns}"
    if fresh != {k: cache.get(k) for k in fresh}:
        write_json(cache_file, {**cache, **fresh})
    return out


def content_digest(value: object) -> str:
    """A stable digest of a record (a codebook): its content, not its identity."""
    data = asdict(value) if is_dataclass(value) and not isinstance(value, type) else value
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def run_key(hashes: dict[str, str], **inputs: object) -> str:
    """Everything a run's outputs depend on, as one digest."""
    payload = {"manifest_version": MANIFEST_VERSION, "files": list(hashes.items()), **inputs}
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def previous_summary(out_dir: Path, key: str) -> dict[str, Any] | None:
    """The summary recorded with ``key`` in ``out_dir``, if its outputs are still complete."""
    file = out_dir / MANIFEST_FILE
    if not file.exists() or not (out_dir / "findings.json").exists():
        return None
    try:
        recorded = json.loads(file.read_text())
    except ValueError:
        return None
    return dict(recorded["summary"]) if recorded.get("run_key") == key else None


def record(out_dir: Path, key: str, summary: dict[str, Any]) -> None:
    """Written after the findings: a run killed before this simply is not skipped next time."""
    write_json(out_dir / MANIFEST_FILE, {"run_key": key, "summary": summary})
