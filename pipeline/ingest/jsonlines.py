"""JSON-lines transcripts: an optional ``{"type": "meta", ...}`` line, then one turn per line.

Exports from transcription services and our own tools look like this. Turn keys: ``text``
(required), ``speaker``, ``role``, ``kind`` (interviewer/informant), ``question`` (the
interviewer's question, written as its own turn before the answer), ``start``,
``end`` (seconds or ``hh:mm:ss``).
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.errors import Errors, IngestError
from pipeline.ingest.builder import TextBuilder
from pipeline.ingest.header import fields_from_pairs, meta_from_fields
from pipeline.ingest.speakers import classify_speakers, role_for_label
from pipeline.ingest.timecodes import to_seconds
from pipeline.records import SourceInfo, Transcript


def _seconds(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    return to_seconds(str(value)) if value else None


def parse_jsonl(text: str, source: SourceInfo) -> Transcript:
    meta_pairs: list[tuple[str, str]] = []
    turns: list[dict[str, Any]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise IngestError.make(
                Errors.E111, path=source.path, line=number, detail=f"invalid JSON ({exc.msg})"
            ) from exc
        if not isinstance(obj, dict):
            raise IngestError.make(
                Errors.E111, path=source.path, line=number, detail="not a JSON object"
            )
        if obj.get("type") == "meta":
            meta_pairs += [(str(k), str(v)) for k, v in obj.items() if k != "type" and v]
            continue
        if not isinstance(obj.get("text"), str) or not obj["text"].strip():
            raise IngestError.make(
                Errors.E111, path=source.path, line=number, detail="missing 'text'"
            )
        turns.append(obj)
    if not turns:
        raise IngestError.make(Errors.E107, path=source.path)
    aliases = {
        "office": "instansi",
        "date": "tanggal",
        "place": "tempat",
        "programme": "program",
        "program": "program",
        "informant": "informan",
        "role": "jabatan",
        "interviewer": "pewawancara",
    }
    fields, extra = fields_from_pairs([(aliases.get(k, k), v) for k, v in meta_pairs])
    meta = meta_from_fields(fields, extra)
    labels = [str(t.get("speaker") or "Informan") for t in turns]
    guessed = classify_speakers(labels, [t["text"] for t in turns], meta.interviewer)
    builder = TextBuilder()
    for turn, label in zip(turns, labels, strict=True):
        if isinstance(turn.get("question"), str) and turn["question"].strip():
            builder.add_turn("Pewawancara", "interviewer", turn["question"])
        kind = (
            turn.get("kind") if turn.get("kind") in ("interviewer", "informant") else guessed[label]
        )
        role = turn.get("role") or role_for_label(label, kind, meta.role)
        builder.add_turn(
            label,
            kind,
            turn["text"],
            role=str(role) if role and kind == "informant" else None,
            time_start=_seconds(turn.get("start")),
            time_end=_seconds(turn.get("end")),
        )
    return Transcript(source, builder.text(), meta, tuple(builder.turns), "jsonl")
