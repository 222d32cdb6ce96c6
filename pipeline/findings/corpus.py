"""Who was interviewed and what the corpus holds, and the checks that inputs belong together.

Kept apart from the analysis in :mod:`pipeline.findings.stream` because both are bookkeeping:
they decide nothing about the findings, but every number in them depends on getting the
informants and the alignment of segments, codes and embeddings right.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.codebook.model import Codebook
from pipeline.errors import Errors, TelaahError
from pipeline.findings.indonesian import ROLE_ORDER
from pipeline.findings.model import Corpus, Count, Informant, Source
from pipeline.records import Code, Segment, Transcript


def informant_key(segment: Segment) -> str:
    """One person in one interview: a group interview has several speakers per source."""
    return f"{segment.source_id}:{segment.speaker}"


def check_records(
    sources: Collection[str],
    segments: Sequence[Segment],
    codes: Sequence[Code],
    embeddings: np.ndarray,
    codebook: Codebook,
) -> dict[str, Code]:
    """Codes by segment id, after checking shapes, sources and codebook; raise E601-E606.

    Takes the source ids alone, so a stream can check batch by batch."""
    shape = getattr(embeddings, "shape", None)
    if shape is None or len(shape) != 2 or shape[0] != len(segments):
        raise TelaahError.make(Errors.E601, expected=len(segments), got=shape)
    for segment in segments:
        if segment.source_id not in sources:
            raise TelaahError.make(
                Errors.E606, segment=segment.id, source=segment.source_id, count=len(sources)
            )
    ids = {s.id for s in segments}
    unknown = [c.segment_id for c in codes if c.segment_id not in ids]
    if unknown:
        raise TelaahError.make(Errors.E602, count=len(unknown), example=unknown[0])
    valid = set(codebook.indicator_ids)
    for code in codes:
        if code.codebook != codebook.id:
            raise TelaahError.make(
                Errors.E603, segment=code.segment_id, got=code.codebook, expected=codebook.id
            )
        if code.indicator is not None and code.indicator not in valid:
            raise TelaahError.make(
                Errors.E604,
                segment=code.segment_id,
                indicator=code.indicator,
                codebook=codebook.id,
                available=", ".join(codebook.indicator_ids),
            )
    return {c.segment_id: c for c in codes}


@dataclass(frozen=True, slots=True)
class SourceNote:
    """What the corpus summary needs of a transcript: its header, not its text."""

    id: str
    name: str
    office: str | None = None
    place: str | None = None
    date: str | None = None

    @classmethod
    def of(cls, transcript: Transcript) -> SourceNote:
        meta = transcript.meta
        return cls(
            transcript.source.id,
            transcript.source.name,
            meta.office,
            meta.place,
            meta.date or meta.date_text,
        )


def corpus_record(
    notes: Sequence[SourceNote],
    per_source: Counter[str],
    functions: Counter[str],
    informants: dict[str, Informant],
) -> Corpus:
    """The corpus summary from counts, as the builder collects them over the segments."""
    by_source: dict[str, list[str]] = {}
    for key, informant in informants.items():
        by_source.setdefault(informant.source_id, []).append(key)
    sources = tuple(
        Source(
            id=n.id,
            name=n.name,
            n_segments=per_source[n.id],
            informants=tuple(by_source.get(n.id, ())),
            office=n.office,
            place=n.place,
            date=n.date,
        )
        for n in sorted(notes, key=lambda n: n.name)
    )
    roles = Counter(i.role_category for i in informants.values())
    return Corpus(
        n_sources=len(notes),
        n_segments=sum(per_source.values()),
        n_informants=len(informants),
        functions=tuple(Count(f, functions[f]) for f in sorted(functions)),
        roles=tuple(Count(r, roles[r]) for r in ROLE_ORDER if roles[r]),
        sources=sources,
        informants=tuple(informants.values()),
    )
