"""What every findings build shares: its options, evidence balances, themes and their links.

The builder itself is :class:`pipeline.findings.stream.FindingsStream` (with
:func:`pipeline.findings.stream.build_findings` for records held in memory); themes are built
here from the obstacle, effort and supporting-factor segments it keeps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from pipeline.findings.codes import function_score
from pipeline.findings.corpus import (
    informant_key,
)
from pipeline.findings.judgement import JudgementPolicy, ThresholdRule
from pipeline.findings.model import (
    EvidenceBalance,
    Quote,
    Theme,
)
from pipeline.findings.pseudonymise import Pseudonymiser
from pipeline.findings.quotes import Candidate, QuoteConfig, select_quotes
from pipeline.records import Code, Segment
from pipeline.themes.cluster import l2_normalise
from pipeline.themes.extract import ExtractedTheme, ThemeConfig, extract_themes
from pipeline.themes.links import LinkConfig, ThemeLink, ThemeMembers, link_efforts


@dataclass(frozen=True)
class FindingsOptions:
    themes: ThemeConfig = field(default_factory=ThemeConfig)
    links: LinkConfig = field(default_factory=LinkConfig)
    judgement: JudgementPolicy = field(default_factory=ThresholdRule)
    quotes: QuoteConfig = field(default_factory=QuoteConfig)
    quotes_per_indicator: int = 3
    quotes_per_theme: int = 2
    theme_functions: tuple[str, ...] = ("obstacle", "effort", "supporting_factor")
    min_function_score: float = 0.0


@dataclass(frozen=True)
class _Run:
    """Everything the helpers share, aligned by segment position."""

    segments: Sequence[Segment]
    codes: Sequence[Code | None]
    unit: np.ndarray
    options: FindingsOptions

    def informant_of(self, i: int) -> str:
        return informant_key(self.segments[i])


def themes_and_links(
    segments: Mapping[str, Sequence[Segment]],
    codes: Mapping[str, Sequence[Code]],
    embeddings: Mapping[str, np.ndarray | None],
    options: FindingsOptions,
    pseudonyms: Pseudonymiser,
) -> tuple[list[Theme], list[ThemeLink]]:
    """Themes per function and their links: shared with the streaming builder, which keeps
    exactly these segments (with their raw embeddings) of the corpus and no others."""
    themes: list[Theme] = []
    members: dict[str, ThemeMembers] = {}
    for function in options.theme_functions:
        vectors = embeddings.get(function)
        if vectors is None or not len(segments[function]):
            continue
        group = _Run(segments[function], codes[function], l2_normalise(vectors), options)
        extracted = extract_themes(
            [s.normalized or s.text for s in group.segments],
            group.unit,
            function,
            scopes=[c.scope for c in codes[function]],
            match_texts=[f"{s.text}\n{s.normalized}" for s in group.segments],
            groups=[s.source_id for s in group.segments],
            exclude=pseudonyms.name_words,
            config=options.themes,
        )
        for theme in extracted:
            rows = list(theme.members)
            themes.append(_theme(group, theme, rows))
            members[theme.id] = ThemeMembers(
                theme.id,
                theme.category.category if theme.category else None,
                tuple(group.segments[i].id for i in rows),
                tuple(group.segments[i].source_id for i in rows),
                group.unit[rows],
            )
    links = link_efforts(
        [members[t.id] for t in themes if t.function == "effort"],
        [members[t.id] for t in themes if t.function == "obstacle"],
        options.themes.taxonomy,
        options.links,
    )
    return themes, links


def balance_of(assessments: Sequence[str | None]) -> EvidenceBalance:
    counts = Counter(a or "neutral" for a in assessments)
    return EvidenceBalance(
        counts["positive"], counts["negative"], counts["mixed"], counts["neutral"]
    )


def _quotes(
    run: _Run, rows: Sequence[int], k: int, confidence: Sequence[float]
) -> tuple[Quote, ...]:
    candidates = []
    for i, conf in zip(rows, confidence, strict=True):
        code = run.codes[i]
        candidates.append(
            Candidate(
                informant=run.informant_of(i),
                role_category=run.segments[i].role_category,
                confidence=conf,
                n_words=len(run.segments[i].text.split()),
                assessment=code.assessment if code else None,
            )
        )
    picks = select_quotes(run.unit[list(rows)], candidates, k, run.options.quotes)
    quotes = []
    for pick in picks:
        segment = run.segments[rows[pick.index]]
        quotes.append(
            Quote(
                segment_id=segment.id,
                source_id=segment.source_id,
                source_name=segment.source_name,
                informant=run.informant_of(rows[pick.index]),
                start=segment.start,
                end=segment.end,
                text=segment.text,
                assessment=candidates[pick.index].assessment,
                confidence=round(candidates[pick.index].confidence, 4),
                centrality=pick.centrality,
                score=pick.score,
            )
        )
    return tuple(quotes)


def _theme(run: _Run, theme: ExtractedTheme, rows: Sequence[int]) -> Theme:
    confidence = [function_score(run.codes[i]) for i in rows]  # type: ignore[arg-type]
    return Theme(
        id=theme.id,
        function=theme.function,
        label=theme.label,
        keyphrases=theme.keyphrases,
        category=theme.category,
        scope=theme.scope,
        scope_share=theme.scope_share,
        cohesion=theme.cohesion,
        n_segments=len(rows),
        n_informants=len({run.informant_of(i) for i in rows}),
        n_sources=len({run.segments[i].source_id for i in rows}),
        segment_ids=tuple(run.segments[i].id for i in rows),
        quotes=_quotes(run, rows, run.options.quotes_per_theme, confidence),
    )
