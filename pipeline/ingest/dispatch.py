"""One entry point from raw bytes to a :class:`Transcript`, choosing the reader by suffix.

Pure: the caller (a flow) reads the file and passes its bytes, so limits, retries and
concurrency stay in ``flows/``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import PurePath

from pipeline.errors import Errors, IngestError
from pipeline.ingest.decode import decode_bytes, normalize_text
from pipeline.ingest.jsonlines import parse_jsonl
from pipeline.ingest.labelled_text import parse_labelled_text
from pipeline.ingest.office import docx_text, odt_text
from pipeline.ingest.subtitles import parse_subtitles
from pipeline.ingest.tabular import csv_rows, rows_to_transcript, xlsx_to_transcript
from pipeline.records import SourceInfo, Transcript

MAX_BYTES = 50 * 1024 * 1024

Reader = Callable[[bytes, SourceInfo], Transcript]


def _text_reader(parse: Callable[[str, SourceInfo], Transcript]) -> Reader:
    def read(data: bytes, source: SourceInfo) -> Transcript:
        decoded = decode_bytes(data, source.path)
        source = _with_encoding(source, decoded.encoding)
        return parse(decoded.text, source)

    return read


def _with_encoding(source: SourceInfo, encoding: str | None) -> SourceInfo:
    return SourceInfo(
        source.path, source.name, source.format, source.sha256, source.size_bytes, encoding
    )


def _document_reader(extract: Callable[[bytes, str], str]) -> Reader:
    def read(data: bytes, source: SourceInfo) -> Transcript:
        text = normalize_text(extract(data, source.path))
        if not text.strip():
            raise IngestError.make(Errors.E107, path=source.path)
        return parse_labelled_text(text, _with_encoding(source, "utf-8"))

    return read


def _csv(data: bytes, source: SourceInfo) -> Transcript:
    decoded = decode_bytes(data, source.path)
    return rows_to_transcript(
        csv_rows(decoded.text), _with_encoding(source, decoded.encoding), "csv"
    )


READERS: dict[str, Reader] = {
    ".txt": _text_reader(parse_labelled_text),
    ".md": _text_reader(parse_labelled_text),
    ".text": _text_reader(parse_labelled_text),
    ".docx": _document_reader(docx_text),
    ".odt": _document_reader(odt_text),
    ".vtt": _text_reader(lambda text, src: parse_subtitles(text, src, "webvtt")),
    ".srt": _text_reader(lambda text, src: parse_subtitles(text, src, "srt")),
    ".csv": _csv,
    ".tsv": _csv,
    ".xlsx": xlsx_to_transcript,
    ".jsonl": _text_reader(parse_jsonl),
}
SUPPORTED = tuple(sorted(READERS))


def source_info(data: bytes, path: str) -> SourceInfo:
    name = PurePath(path).name
    suffix = PurePath(path).suffix.lower()
    return SourceInfo(
        path=path,
        name=name,
        format=suffix.lstrip("."),
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
    )


def read_transcript(data: bytes, path: str, *, max_bytes: int = MAX_BYTES) -> Transcript:
    """Parse one source; raise :class:`IngestError` with a message naming the file."""
    suffix = PurePath(path).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise IngestError.make(
            Errors.E108, path=path, suffix=suffix or "(none)", supported=", ".join(SUPPORTED)
        )
    if not data:
        raise IngestError.make(Errors.E101, path=path)
    if len(data) > max_bytes:
        raise IngestError.make(
            Errors.E102, path=path, size_mb=len(data) / 1e6, limit_mb=max_bytes / 1e6
        )
    return reader(data, source_info(data, path))
