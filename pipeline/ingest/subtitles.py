"""WebVTT and SRT transcripts from transcription tools, with timestamps kept per turn.

Cues are short, so consecutive cues by one speaker are joined into a turn; the speaker comes
from a ``<v Name>`` voice tag or a ``NAME:`` prefix, and a cue without either continues the
previous speaker. A WebVTT ``NOTE`` block may carry the interview header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.errors import Errors, IngestError
from pipeline.ingest.builder import TextBuilder
from pipeline.ingest.header import fields_from_pairs, meta_from_fields
from pipeline.ingest.speakers import classify_speakers, role_for_label
from pipeline.ingest.timecodes import to_seconds
from pipeline.records import InterviewMeta, SourceInfo, Transcript

_TIMING = re.compile(
    r"^\s*(?P<a>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<b>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_VOICE = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")
_PREFIX = re.compile(
    r"^\s*(?:-\s*)?([A-Za-z][\w.'’ ]{0,40}?(?:\s*\([^)]{1,40}\))?)\s*:\s+(.*)$", re.S
)
_PAIR = re.compile(r"^\s*([A-Za-z][A-Za-z /,]{1,28}?)\s*:\s*(.+?)\s*$")


@dataclass
class _Cue:
    start: float | None
    end: float | None
    speaker: str | None
    text: str


def _cue_speaker(raw: str) -> tuple[str | None, str]:
    voice = _VOICE.search(raw)
    if voice:
        speaker = voice.group(1).strip()
        return speaker, " ".join(_TAG.sub("", raw).split())
    text = " ".join(_TAG.sub("", raw).split())
    prefix = _PREFIX.match(text)
    if prefix and len(prefix.group(1).split()) <= 4:
        return prefix.group(1).strip(), prefix.group(2).strip()
    return None, text


def _blocks(text: str) -> list[list[str]]:
    return [b.split("\n") for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]


def _parse_cues(text: str, path: str, kind: str) -> tuple[list[_Cue], InterviewMeta]:
    cues: list[_Cue] = []
    pairs: list[tuple[str, str]] = []
    for block in _blocks(text):
        first = block[0].strip()
        if first.startswith("WEBVTT") or first.startswith(("STYLE", "REGION")):
            continue
        if first.startswith("NOTE"):
            lines = [first[4:].strip(), *block[1:]]
            pairs += [(m.group(1), m.group(2)) for m in map(_PAIR.match, lines) if m]
            continue
        timing_at = next((i for i, line in enumerate(block) if _TIMING.match(line)), None)
        if timing_at is None:
            continue
        timing = _TIMING.match(block[timing_at])
        assert timing is not None
        speaker, speech = _cue_speaker("\n".join(block[timing_at + 1 :]))
        if speech:
            cues.append(_Cue(to_seconds(timing["a"]), to_seconds(timing["b"]), speaker, speech))
    if not cues:
        raise IngestError.make(Errors.E112, path=path, detail=f"no timed cues found in this {kind}")
    fields, extra = fields_from_pairs(pairs)
    return cues, meta_from_fields(fields, extra)


def parse_subtitles(text: str, source: SourceInfo, kind: str) -> Transcript:
    """``kind`` is ``"webvtt"`` or ``"srt"``; both are handled by the same cue parser."""
    cues, meta = _parse_cues(text, source.path, kind)
    merged: list[_Cue] = []
    for cue in cues:
        speaker = cue.speaker or (merged[-1].speaker if merged else None)
        if merged and speaker == merged[-1].speaker:
            merged[-1].text += " " + cue.text
            merged[-1].end = cue.end
        else:
            merged.append(_Cue(cue.start, cue.end, speaker, cue.text))
    warnings: tuple[str, ...] = ()
    if all(c.speaker is None for c in merged):
        warnings = ("no speakers in the cues; all speech is treated as informant speech",)
    labels = [c.speaker or "Informan" for c in merged]
    kinds = classify_speakers(labels, [c.text for c in merged], meta.interviewer)
    builder = TextBuilder()
    for key, value in _header_lines(meta):
        builder.add_line(f"{key}: {value}")
    if builder.parts:
        builder.add_line()
    for cue, label in zip(merged, labels, strict=True):
        kind_ = kinds[label]
        builder.add_turn(
            label,
            kind_,
            cue.text,
            role=role_for_label(label, kind_, meta.role),
            time_start=cue.start,
            time_end=cue.end,
        )
    return Transcript(source, builder.text(), meta, tuple(builder.turns), kind, warnings)


def _header_lines(meta: InterviewMeta) -> list[tuple[str, str]]:
    pairs = [
        ("Informan", meta.informant),
        ("Jabatan", meta.role),
        ("Instansi", meta.office),
        ("Tanggal", meta.date_text),
        ("Tempat", meta.place),
        ("Pewawancara", meta.interviewer),
        ("Program", meta.programme),
    ]
    return [(k, v) for k, v in pairs if v]
