"""Which files a run reads: explicit paths always, directories expanded with ignore rules.

A corpus folder usually holds a README, a consent form or notes next to the transcripts. In a
directory we skip hidden files, files whose format Telaah does not read, and whatever a
``.telaahignore`` file (one glob per line) lists; a file named explicitly is always attempted,
so an unsupported one is reported rather than silently dropped.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.ingest import SUPPORTED

IGNORE_FILE = ".telaahignore"
_ALWAYS_IGNORED = ("README*", "readme*", "*.yaml", "*.yml", "manifest.json")


def _ignore_patterns(directory: Path) -> list[str]:
    patterns = list(_ALWAYS_IGNORED)
    ignore = directory / IGNORE_FILE
    if ignore.is_file():
        for line in ignore.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                patterns.append(line)
    return patterns


def iter_sources(paths: Iterable[str | Path], recursive: bool = True) -> Iterator[Path]:
    """Yield source files in a stable order (sorted within each directory)."""
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path
            continue
        walker = path.rglob("*") if recursive else path.glob("*")
        patterns = _ignore_patterns(path)
        for candidate in sorted(walker):
            rel = candidate.relative_to(path).as_posix()
            if not candidate.is_file() or any(
                part.startswith((".", "_")) for part in candidate.relative_to(path).parts
            ):
                continue
            if candidate.suffix.lower() not in SUPPORTED:
                continue
            if any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(candidate.name, p) for p in patterns):
                continue
            yield candidate
