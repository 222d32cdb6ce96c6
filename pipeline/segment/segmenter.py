"""The default segmenter: spaCy's blank Indonesian pipeline plus Telaah's components.

Only informant turns become coding units; interviewer turns are kept as each unit's question
context. Turns are processed with ``nlp.pipe`` in batches because a corpus has many short turns
and per-call overhead would dominate.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import Segment, Transcript, Turn
from pipeline.segment.components import FILLER_TAGGER, SENTENCE_FIXES
from pipeline.segment.grouping import GroupingConfig, Sentence, group_sentences
from pipeline.segment.lexicon import FILLERS
from pipeline.segment.normalize import normalize_colloquial

SEGMENTER_VERSION = "spacy-id-1"
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


class Segmenter(Protocol):
    """Anything that cuts transcripts into coding units."""

    version: str

    def segment_batch(self, transcripts: Sequence[Transcript]) -> list[list[Segment]]: ...


@functools.cache
def shared_nlp() -> Language:
    """Building the blank pipeline costs about a second; one per process is enough."""
    return build_nlp()


def build_nlp() -> Language:
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(SENTENCE_FIXES)
    nlp.add_pipe(FILLER_TAGGER)
    return nlp


def _sentences(doc: Doc) -> list[Sentence]:
    """Sentence spans with word counts; string operations rather than per-token Python loops,
    because this runs over every sentence of a corpus."""
    text = doc.text
    out = []
    for span in doc.sents:
        raw = text[span.start_char : span.end_char]
        stripped = raw.strip()
        if not stripped:
            continue
        start = span.start_char + (len(raw) - len(raw.lstrip()))
        words = [w for w in _WORD.findall(stripped) if w.lower() not in FILLERS]
        opening = " ".join(w.lower() for w in words[:3])
        out.append(Sentence(start, start + len(stripped), len(words), opening))
    return out


def _question_for(transcript: Transcript, turn: Turn) -> str | None:
    for previous in reversed(transcript.turns[: turn.index]):
        if previous.kind == "interviewer":
            return transcript.turn_text(previous)
    return None


class SpacySegmenter:
    """Default :class:`Segmenter`."""

    version = SEGMENTER_VERSION

    def __init__(self, config: GroupingConfig | None = None, batch_size: int = 256) -> None:
        self.config = (config or GroupingConfig()).check()
        self.batch_size = batch_size
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = shared_nlp()
        return self._nlp

    def segment(self, transcript: Transcript) -> list[Segment]:
        return self.segment_batch([transcript])[0]

    def segment_batch(self, transcripts: Sequence[Transcript]) -> list[list[Segment]]:
        jobs = [(t, turn) for t in transcripts for turn in t.turns if turn.kind != "interviewer"]
        texts = (transcript.turn_text(turn) for transcript, turn in jobs)
        results: dict[str, list[Segment]] = {t.source.sha256: [] for t in transcripts}
        docs = self.nlp.pipe(texts, batch_size=self.batch_size)
        for (transcript, turn), doc in zip(jobs, docs, strict=True):
            results[transcript.source.sha256].extend(self._turn_segments(transcript, turn, doc))
        return [results[t.source.sha256] for t in transcripts]

    def _turn_segments(self, transcript: Transcript, turn: Turn, doc: Doc) -> Iterator[Segment]:
        question = _question_for(transcript, turn)
        role = turn.role or (transcript.meta.role if turn.kind == "informant" else None)
        category = turn.role_category if turn.role else transcript.meta.role_category
        for group in group_sentences(_sentences(doc), self.config):
            start = turn.start + group[0].start
            end = turn.start + group[-1].end
            text = transcript.text[start:end]
            yield Segment(
                id=f"{transcript.source.id}:{start}-{end}",
                source_id=transcript.source.id,
                source_name=transcript.source.name,
                turn_index=turn.index,
                speaker=turn.speaker,
                speaker_kind=turn.kind,
                role=role,
                role_category=category,
                start=start,
                end=end,
                text=text,
                normalized=normalize_colloquial(text),
                question=question,
                n_sentences=len(group),
                time_start=turn.time_start,
                time_end=turn.time_end,
            )


def segment_transcripts(
    transcripts: Iterable[Transcript], segmenter: Segmenter | None = None, batch: int = 64
) -> Iterator[tuple[Transcript, list[Segment]]]:
    """Stream ``(transcript, segments)`` pairs, batching transcripts for speed."""
    segmenter = segmenter or SpacySegmenter()
    pending: list[Transcript] = []
    for transcript in transcripts:
        pending.append(transcript)
        if len(pending) >= batch:
            yield from zip(pending, segmenter.segment_batch(pending), strict=True)
            pending = []
    if pending:
        yield from zip(pending, segmenter.segment_batch(pending), strict=True)
