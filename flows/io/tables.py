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

from flows.io.atomic import write_with
from pipeline.records import Segment, Transcript

TABLE_FORMATS = ("parquet", "jsonl")


def segments_frame(segments: Sequence[Segment]) -> pd.DataFrame:
    columns = list(Segment.__dataclass_fields__)
    return pd.DataFrame([asdict(s) for s in segments], columns=columns)


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
