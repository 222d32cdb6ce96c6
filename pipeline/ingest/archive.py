"""Safe reading of zip-based documents (.docx, .odt, .xlsx).

A zip bomb renamed to .docx must not take the machine down: sizes declared in the archive are
checked before anything is inflated, and the inflated bytes are counted while reading in case
the declared sizes lie.
"""

from __future__ import annotations

import io
import zipfile

from pipeline.errors import Errors, IngestError

MAX_EXPANDED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200.0
_CHUNK = 1 << 20


def open_archive(data: bytes, path: str, kind: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip and refuse it when it would inflate beyond the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise IngestError.make(
            Errors.E105, path=path, kind=kind, detail=f"not a zip archive: {exc}"
        ) from exc
    declared = sum(info.file_size for info in archive.infolist())
    ratio = declared / max(1, len(data))
    if declared > MAX_EXPANDED_BYTES or (ratio > MAX_RATIO and declared > 16 * 1024 * 1024):
        raise IngestError.make(
            Errors.E106,
            path=path,
            expanded_mb=declared / 1e6,
            ratio=ratio,
            limit_mb=MAX_EXPANDED_BYTES / 1e6,
        )
    return archive


def read_member(archive: zipfile.ZipFile, member: str, path: str, kind: str) -> bytes:
    """Read one member, counting inflated bytes rather than trusting the header."""
    try:
        compressed = archive.getinfo(member).compress_size
        handle = archive.open(member)
    except KeyError as exc:
        raise IngestError.make(
            Errors.E105, path=path, kind=kind, detail=f"it has no {member}"
        ) from exc
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
        raise IngestError.make(Errors.E105, path=path, kind=kind, detail=str(exc)) from exc
    chunks = []
    total = 0
    try:
        with handle:
            while chunk := handle.read(_CHUNK):
                total += len(chunk)
                if total > MAX_EXPANDED_BYTES:
                    raise IngestError.make(
                        Errors.E106,
                        path=path,
                        expanded_mb=total / 1e6,
                        ratio=total / max(1, compressed),
                        limit_mb=MAX_EXPANDED_BYTES / 1e6,
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise IngestError.make(
            Errors.E105, path=path, kind=kind, detail=f"damaged archive: {exc}"
        ) from exc
    return b"".join(chunks)
