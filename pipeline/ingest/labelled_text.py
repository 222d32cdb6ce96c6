"""Turn a labelled document text (from .txt, .md, .docx, .odt) into a :class:`Transcript`.

The text is used as it is: it *is* the canonical text, so offsets point into what the researcher
wrote, header and labels included, and only the speech itself is covered by turns.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.ingest.header import parse_header
from pipeline.ingest.roles import categorize_role
from pipeline.ingest.speakers import (
    LabelMatch,
    classify_speakers,
    is_known_label,
    label_key,
    match_label,
    role_for_label,
    split_role,
    style_of,
)
from pipeline.ingest.timecodes import to_seconds
from pipeline.records import InterviewMeta, SourceInfo, Transcript, Turn

NO_LABELS_WARNING = (
    "no speaker labels recognised; the whole text is treated as informant speech. If the file "
    "has labels, use one of the styles in DOMAIN.md (e.g. 'P:'/'I:' or 'Peneliti:'/'Informan:')."
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    line_start: int
    match: LabelMatch


def _candidates(text: str, start: int) -> list[_Candidate]:
    found = []
    pos = start
    for line in text[start:].split("\n"):
        match = match_label(line)
        if match is not None:
            found.append(_Candidate(pos, match))
        pos += len(line) + 1
    return found


def _accepted(candidates: list[_Candidate], meta: InterviewMeta) -> list[_Candidate]:
    counts = Counter(label_key(c.match.label) for c in candidates)
    names = {label_key(n) for n in (meta.informant, meta.interviewer, meta.role) if n}

    def trusted(c: _Candidate) -> bool:
        key = label_key(c.match.label)
        if c.match.bracketed or c.match.timestamp or is_known_label(c.match.label):
            return True
        if key in names or label_key(split_role(c.match.label)[0]) in names:
            return True
        return counts[key] >= 2 and len(key.split()) <= 5

    return [c for c in candidates if trusted(c)]


def _speech_bounds(text: str, start: int, stop: int) -> tuple[int, int]:
    """Trim whitespace so offsets cover exactly the speech."""
    while start < stop and text[start].isspace():
        start += 1
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    return start, stop


def _whole_text_turn(text: str, start: int, meta: InterviewMeta) -> list[Turn]:
    """No labels: everything after the header is one informant turn (the segmenter still breaks
    at paragraph boundaries)."""
    s, e = _speech_bounds(text, start, len(text))
    if e <= s:
        return []
    speaker = meta.informant or "Informan"
    return [Turn(0, speaker, "informant", s, e, role=meta.role, role_category=meta.role_category)]


def parse_labelled_text(text: str, source: SourceInfo) -> Transcript:
    """Header, then speaker turns; fall back to paragraphs of informant speech."""
    header = parse_header(text)
    meta = header.meta
    accepted = _accepted(_candidates(text, header.end), meta)
    if not accepted:
        turns = _whole_text_turn(text, header.end, meta)
        return Transcript(source, text, meta, tuple(turns), "none", (NO_LABELS_WARNING,))
    bounds = []
    for i, cand in enumerate(accepted):
        stop = accepted[i + 1].line_start if i + 1 < len(accepted) else len(text)
        bounds.append(_speech_bounds(text, cand.line_start + cand.match.speech_start, stop))
    labels = [c.match.label for c in accepted]
    kinds = classify_speakers(labels, [text[s:e] for s, e in bounds], meta.interviewer)
    times = [to_seconds(c.match.timestamp) for c in accepted]
    turns = []
    for i, (cand, (s, e)) in enumerate(zip(accepted, bounds, strict=True)):
        kind = kinds[cand.match.label]
        role = role_for_label(cand.match.label, kind, meta.role)
        turns.append(
            Turn(
                index=i,
                speaker=cand.match.label,
                kind=kind,
                start=s,
                end=e,
                role=role,
                role_category=categorize_role(role) if role else "unknown",
                time_start=times[i],
                time_end=next((t for t in times[i + 1 :] if t is not None), None),
            )
        )
    style = style_of(
        labels,
        timestamps=any(t is not None for t in times),
        bracketed=any(c.match.bracketed for c in accepted),
    )
    warnings: tuple[str, ...] = ()
    if "interviewer" not in kinds.values():
        warnings = (
            "could not tell which speaker is the interviewer; all are treated as informants",
        )
    return Transcript(source, text, meta, tuple(turns), style, warnings)
