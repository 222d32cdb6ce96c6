"""Records to tables and back: Parquet by default, JSON lines on request.

Tables are the hand-over format between runs and to researchers using pandas; columns are
stable and named after the record fields.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from flows.io.atomic import write_with
from pipeline.records import Segment, Transcript

TABLE_FORMATS = ("parquet", "jsonl")
_S, _I, _F = pa.string(), pa.int64(), pa.float64()
SEGMENT_SCHEMA = pa.schema(
    [
        ("id", _S), ("source_id", _S), ("source_name", _S), ("turn_index", _I), ("speaker", _S),
        ("speaker_kind", _S), ("role", _S), ("role_category", _S), ("start", _I), ("end", _I),
        ("text", _S), ("normalized", _S), ("question", _S), ("n_sentences", _I),
        ("time_start", _F), ("time_end", _F),
    ]
)  # fmt: skip
SOURCE_SCHEMA = pa.schema(
    [
        ("source_id", _S), ("path", _S), ("name", _S), ("format", _S), ("sha256", _S),
        ("size_bytes", _I), ("encoding", _S), ("label_style", _S), ("informant", _S), ("role", _S),
        ("role_category", _S), ("office", _S), ("date", _S), ("date_text", _S), ("place", _S),
        ("interviewer", _S), ("programme", _S), ("text", _S), ("turns", _S), ("warnings", _S),
    ]
)  # fmt: skip


def segments_table(segments: Sequence[Segment]) -> pa.Table:
    return pa.Table.from_pylist([asdict(s) for s in segments], schema=SEGMENT_SCHEMA)


def sources_table(transcripts: Sequence[Transcript]) -> pa.Table:
    return pa.Table.from_pylist([transcript_row(t) for t in transcripts], schema=SOURCE_SCHEMA)


def segments_frame(segments: Sequence[Segment]) -> pd.DataFrame:
    return segments_table(segments).to_pandas()


def write_arrow(table: pa.Table, target: Path) -> None:
    """Atomic Parquet (or JSON lines, by suffix) from an Arrow table."""
    if target.suffix == ".jsonl":
        write_table(table.to_pandas(), target)
    else:
        write_with(target, lambda tmp: pq.write_table(table, tmp))


def transcript_row(transcript: Transcript) -> dict[str, object]:
    source, meta = transcript.source, transcript.meta
    return {
        "source_id": source.id,
        "path": source.path,
        "name": source.name,
        "format": source.format,
        "sha256": source.sha256,
        "size_bytes": source.size_bytes,
        "encoding": source.encoding,
        "label_style": transcript.label_style,
        "informant": meta.informant,
        "role": meta.role,
        "role_category": meta.role_category,
        "office": meta.office,
        "date": meta.date,
        "date_text": meta.date_text,
        "place": meta.place,
        "interviewer": meta.interviewer,
        "programme": meta.programme,
        "text": transcript.text,
        "turns": json.dumps([asdict(t) for t in transcript.turns], ensure_ascii=False),
        "warnings": json.dumps(list(transcript.warnings), ensure_ascii=False),
    }


def write_table(frame: pd.DataFrame, target: Path) -> None:
    """Write atomically; the suffix (.parquet or .jsonl) picks the format."""
    if target.suffix == ".jsonl":
        write_with(
            target,
            lambda tmp: frame.to_json(tmp, orient="records", lines=True, force_ascii=False),
        )
    else:
        write_with(target, lambda tmp: frame.to_parquet(tmp, index=False))


def read_table(path: Path) -> pd.DataFrame:
    if path.suffix == ".jsonl":
        return pd.read_json(path, orient="records", lines=True, dtype=False)
    return pd.read_parquet(path)


def transcripts_from_frame(frame: pd.DataFrame) -> list[Transcript]:
    """Rebuild :class:`Transcript` records from ``sources.parquet`` (inverse of ``transcript_row``)."""
    from pipeline.ingest.roles import categorize_role
    from pipeline.records import InterviewMeta, SourceInfo, Turn

    def clean(value: object) -> str | None:
        return (
            None if value is None or (isinstance(value, float) and value != value) else str(value)
        )

    out = []
    for row in frame.to_dict("records"):
        source = SourceInfo(
            path=str(row["path"]),
            name=str(row["name"]),
            format=str(row["format"]),
            sha256=str(row["sha256"]),
            size_bytes=int(row["size_bytes"]),
            encoding=clean(row.get("encoding")),
        )
        meta = InterviewMeta(
            informant=clean(row.get("informant")),
            role=clean(row.get("role")),
            role_category=categorize_role(clean(row.get("role"))),
            office=clean(row.get("office")),
            date=clean(row.get("date")),
            date_text=clean(row.get("date_text")),
            place=clean(row.get("place")),
            interviewer=clean(row.get("interviewer")),
            programme=clean(row.get("programme")),
        )
        turns = tuple(Turn(**t) for t in json.loads(str(row["turns"])))
        warnings = tuple(json.loads(str(row["warnings"])))
        out.append(
            Transcript(source, str(row["text"]), meta, turns, str(row["label_style"]), warnings)
        )
    return out


def segments_from_frame(frame: pd.DataFrame) -> list[Segment]:
    fields = list(Segment.__dataclass_fields__)
    records = []
    for row in frame[fields].to_dict("records"):
        for key in ("question", "role", "time_start", "time_end"):
            value = row.get(key)
            if isinstance(value, float) and value != value:
                row[key] = None
        records.append(Segment(**row))
    return records
