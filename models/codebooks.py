"""Find and read codebooks: the built-ins shipped in ``corpora/codebooks`` and users' YAML files.

Parsing is pure (``pipeline.codebook``); this module owns the file system. Loads are cached
because every classifier, report and CLI call asks for the same few codebooks; a user file is
cached by its modification time and size so that editing it and running again sees the edit.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pipeline.codebook import Codebook, CodebookProblem, check_codebook, parse_codebook
from pipeline.codebook.parse import parse_concepts
from pipeline.errors import CodebookError, Errors

BUILTIN_CODEBOOKS: tuple[str, ...] = (
    "mitchell",
    "robbins",
    "kasmir",
    "dwiyanto",
    "servqual",
    "kepmenpan_63_2003",
    "edward_iii",
)
CONCEPTS_FILENAME = "concepts.yaml"
_YAML_SUFFIXES = {".yaml", ".yml"}


def codebooks_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "corpora" / "codebooks"


@lru_cache(maxsize=1)
def load_concepts() -> dict[str, str]:
    """Every shared concept id with its English description, in file order."""
    path = codebooks_dir() / CONCEPTS_FILENAME
    return parse_concepts(_read(path), str(path))


def load_codebook(id_or_path: str | os.PathLike[str]) -> Codebook:
    """A built-in by id, or a user's codebook file by path; both get the same checks."""
    name = os.fspath(id_or_path)
    if name in BUILTIN_CODEBOOKS:
        return _load_builtin(name)
    path = Path(name).expanduser()
    if not _looks_like_path(name, path):
        raise CodebookError.make(Errors.E302, name=name, available=", ".join(BUILTIN_CODEBOOKS))
    builtin = _builtin_id_of(path)
    if builtin is not None:
        return _load_builtin(builtin)
    try:
        stat = path.stat()
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    return _load_user(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def check_codebook_file(path: str | os.PathLike[str]) -> list[CodebookProblem]:
    """Every problem in a user's codebook file (for ``telaah codebook validate``), uncached."""
    file = Path(path).expanduser()
    builtin = _builtin_id_of(file)
    reserved = () if builtin is not None else BUILTIN_CODEBOOKS
    return check_codebook(_read(file), str(path), set(load_concepts()), reserved)


def builtin_codebooks() -> tuple[Codebook, ...]:
    return tuple(_load_builtin(codebook_id) for codebook_id in BUILTIN_CODEBOOKS)


@lru_cache(maxsize=len(BUILTIN_CODEBOOKS))
def _load_builtin(codebook_id: str) -> Codebook:
    path = codebooks_dir() / f"{codebook_id}.yaml"
    return parse_codebook(_read(path), str(path), set(load_concepts()))


@lru_cache(maxsize=32)
def _load_user(resolved: str, mtime_ns: int, size: int) -> Codebook:
    """Keyed on mtime and size as well as the path, so a saved edit is never served stale."""
    del mtime_ns, size  # part of the cache key only
    return parse_codebook(
        _read(Path(resolved)), resolved, set(load_concepts()), reserved_ids=BUILTIN_CODEBOOKS
    )


def _looks_like_path(name: str, path: Path) -> bool:
    return path.suffix.lower() in _YAML_SUFFIXES or os.sep in name or "/" in name or path.exists()


def _builtin_id_of(path: Path) -> str | None:
    """A path to a shipped file is treated as the built-in (its id is not 'reserved' against it)."""
    try:
        resolved = path.resolve()
    except OSError:
        return None
    if resolved.parent == codebooks_dir() and resolved.stem in BUILTIN_CODEBOOKS:
        return resolved.stem
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, exc) from exc


def _unreadable(path: Path, exc: Exception) -> CodebookError:
    if isinstance(exc, UnicodeDecodeError):
        detail = "not UTF-8 text; save it as UTF-8"
    elif isinstance(exc, OSError):
        detail = exc.strerror or str(exc)
    else:
        detail = str(exc)
    return CodebookError.make(
        Errors.E304, path=str(path), detail=detail, available=", ".join(BUILTIN_CODEBOOKS)
    )
