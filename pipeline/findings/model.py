"""The findings of one study: what a findings chapter states, each statement with its evidence.

Every number and every quote points back to segment ids, and every quote carries its source
and character offsets, so a researcher (or a reviewer) can open the transcript at the exact
place. Records are frozen and JSON-shaped (no dict-valued fields, no sets) so ``findings.json``
is a plain dump of them and can be read back into the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from pipeline.records import RoleCategory, Scope
from pipeline.themes.keyphrases import Keyphrase
from pipeline.themes.links import LinkEvidence, ThemeLink
from pipeline.themes.taxonomy import CategoryMatch

FINDINGS_VERSION = "1"


def _generator() -> str:
    try:
        return f"telaah {metadata.version('telaah')}"
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "telaah (dev)"


GENERATOR = _generator()
"""Names the software in findings.json and in the REFI-QDA ``origin`` attribute."""

__all__ = [
    "FINDINGS_VERSION",
    "GENERATOR",
    "CategoryMatch",
    "CodebookInfo",
    "Corpus",
    "Count",
    "EvidenceBalance",
    "Findings",
    "IndicatorFinding",
    "Informant",
    "Judgement",
    "Keyphrase",
    "LinkEvidence",
    "Method",
    "Quote",
    "RoleBreakdown",
    "Source",
    "Theme",
    "ThemeLink",
]


@dataclass(frozen=True, slots=True)
class Informant:
    """One person speaking in one interview; ``key`` is ``source_id:speaker``.

    ``name`` is a real person's name when the transcript header gave one: reports show
    ``pseudonym`` or the role unless the user asks for names.
    """

    key: str
    source_id: str
    speaker: str
    name: str | None
    role: str | None
    role_category: RoleCategory
    pseudonym: str


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    name: str
    n_segments: int
    informants: tuple[str, ...]
    office: str | None = None
    place: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Count:
    key: str
    n: int


@dataclass(frozen=True, slots=True)
class Corpus:
    n_sources: int
    n_segments: int
    n_informants: int
    functions: tuple[Count, ...]
    roles: tuple[Count, ...]
    sources: tuple[Source, ...]
    informants: tuple[Informant, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim passage: ``text == transcript.text[start:end]`` of source ``source_id``."""

    segment_id: str
    source_id: str
    source_name: str
    informant: str
    start: int
    end: int
    text: str
    assessment: str | None
    confidence: float
    centrality: float
    score: float


@dataclass(frozen=True, slots=True)
class EvidenceBalance:
    positive: int = 0
    negative: int = 0
    mixed: int = 0
    neutral: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.negative + self.mixed + self.neutral

    @property
    def rated(self) -> int:
        """Segments that take a side (neutral ones describe without judging)."""
        return self.positive + self.negative + self.mixed


@dataclass(frozen=True, slots=True)
class Judgement:
    """``level`` orders the labels (4 best .. 1 worst, 0 when there is too little evidence)."""

    label: str
    level: int
    score: float | None
    reason: str


@dataclass(frozen=True, slots=True)
class RoleBreakdown:
    role_category: str
    n_segments: int
    n_informants: int
    balance: EvidenceBalance
    score: float | None


@dataclass(frozen=True, slots=True)
class IndicatorFinding:
    id: str
    label: str
    definition: str
    sub_indicators: tuple[str, ...]
    n_segments: int
    n_informants: int
    n_sources: int
    balance: EvidenceBalance
    by_role: tuple[RoleBreakdown, ...]
    judgement: Judgement
    quotes: tuple[Quote, ...]
    segment_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Theme:
    """A group of obstacle, effort or supporting-factor segments with a name and evidence."""

    id: str
    function: str
    label: str
    keyphrases: tuple[Keyphrase, ...]
    category: CategoryMatch | None
    scope: Scope | None
    scope_share: float | None
    cohesion: float
    n_segments: int
    n_informants: int
    n_sources: int
    segment_ids: tuple[str, ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class CodebookInfo:
    id: str
    name: str
    theory: str
    citation: str


@dataclass(frozen=True, slots=True)
class Method:
    """How the findings were made, in Indonesian, for the report's method notes."""

    judgement_rule: str
    themes: str
    links: str
    quotes: str
    taxonomy: str
    model_versions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Findings:
    version: str
    generator: str
    codebook: CodebookInfo
    corpus: Corpus
    indicators: tuple[IndicatorFinding, ...]
    themes: tuple[Theme, ...]
    links: tuple[ThemeLink, ...]
    method: Method

    def themes_for(self, function: str) -> tuple[Theme, ...]:
        return tuple(t for t in self.themes if t.function == function)

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def informant(self, key: str) -> Informant | None:
        return next((i for i in self.corpus.informants if i.key == key), None)

    def links_from(self, effort_theme: str) -> tuple[ThemeLink, ...]:
        return tuple(link for link in self.links if link.effort_theme == effort_theme)
