"""The records that flow between stages.

Frozen dataclasses rather than dicts so a stage's signature says exactly what it consumes and
produces, and so records can be hashed, compared in tests and turned into table rows.
Offsets are always character offsets into :attr:`Transcript.text`, the one canonical text of a
source; the REFI-QDA export and every quote in a report depend on them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SpeakerKind = Literal["interviewer", "informant", "unknown"]
RoleCategory = Literal["head", "staff", "operator", "facilitator", "citizen", "unknown"]
Function = Literal["indicator", "obstacle", "effort", "supporting_factor", "other"]
Scope = Literal["internal", "external"]
Assessment = Literal["positive", "negative", "mixed", "neutral"]

RECORDS_VERSION = "1"


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Where a transcript came from; ``sha256`` is of the raw bytes and identifies the source."""

    path: str
    name: str
    format: str
    sha256: str
    size_bytes: int
    encoding: str | None = None

    @property
    def id(self) -> str:
        return self.sha256[:16]


@dataclass(frozen=True, slots=True)
class InterviewMeta:
    """The interview header: who was interviewed, where, when, by whom."""

    informant: str | None = None
    role: str | None = None
    role_category: RoleCategory = "unknown"
    office: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd when it could be parsed
    date_text: str | None = None  # as written
    place: str | None = None
    interviewer: str | None = None
    programme: str | None = None
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Turn:
    """One contiguous stretch of speech by one speaker.

    ``start``/``end`` delimit the speech itself (label excluded) in the canonical text.
    """

    index: int
    speaker: str
    kind: SpeakerKind
    start: int
    end: int
    role: str | None = None
    role_category: RoleCategory = "unknown"
    time_start: float | None = None
    time_end: float | None = None


@dataclass(frozen=True, slots=True)
class Transcript:
    """A source turned into one canonical text, its header and its speaker turns."""

    source: SourceInfo
    text: str
    meta: InterviewMeta
    turns: tuple[Turn, ...]
    label_style: str
    warnings: tuple[str, ...] = ()

    def turn_text(self, turn: Turn) -> str:
        return self.text[turn.start : turn.end]


@dataclass(frozen=True, slots=True)
class Segment:
    """A coding unit: one or a few sentences of one informant turn making one point.

    ``text`` is exactly ``transcript.text[start:end]``; ``normalized`` is the colloquial-normalised
    form the models see. ``question`` is the interviewer's preceding question, as context.
    """

    id: str
    source_id: str
    source_name: str
    turn_index: int
    speaker: str
    speaker_kind: SpeakerKind
    role: str | None
    role_category: RoleCategory
    start: int
    end: int
    text: str
    normalized: str
    question: str | None
    n_sentences: int
    time_start: float | None = None
    time_end: float | None = None

    def to_row(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    id: str
    score: float


@dataclass(frozen=True, slots=True)
class Code:
    """What the classifier says about one segment, with calibrated scores."""

    segment_id: str
    codebook: str
    indicator: str | None
    indicator_score: float
    indicators: tuple[IndicatorScore, ...]
    function: Function
    function_scores: tuple[tuple[str, float], ...]
    scope: Scope | None
    assessment: Assessment | None
    model_version: str
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
