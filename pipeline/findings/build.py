"""Coded segments to findings: per indicator, per theme, and the links between themes.

The one entry point of the findings stage. It takes the embeddings the classifier already
used (encode once) and never reads a file or loads a model, so it runs in milliseconds in tests
and the same way inside a flow.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from pipeline.codebook.model import Codebook, Indicator
from pipeline.findings.codes import function_score
from pipeline.findings.corpus import (
    check_inputs,
    corpus_summary,
    informant_key,
    informants_by_key,
)
from pipeline.findings.indonesian import ROLE_ORDER
from pipeline.findings.judgement import JudgementPolicy, ThresholdRule, divergence_note
from pipeline.findings.method import describe_method
from pipeline.findings.model import (
    FINDINGS_VERSION,
    GENERATOR,
    CodebookInfo,
    EvidenceBalance,
    Findings,
    IndicatorFinding,
    Judgement,
    Quote,
    RoleBreakdown,
    Theme,
)
from pipeline.findings.pseudonymise import Pseudonymiser
from pipeline.findings.quotes import Candidate, QuoteConfig, select_quotes
from pipeline.records import Code, Segment, Transcript
from pipeline.themes.cluster import l2_normalise
from pipeline.themes.extract import ExtractedTheme, ThemeConfig, extract_themes
from pipeline.themes.links import LinkConfig, ThemeLink, ThemeMembers, link_efforts

log = logging.getLogger(__name__)


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


def build_findings(
    transcripts: Sequence[Transcript],
    segments: Sequence[Segment],
    codes: Sequence[Code],
    embeddings: np.ndarray,
    codebook: Codebook,
    *,
    options: FindingsOptions | None = None,
    pseudonyms: Pseudonymiser | None = None,
) -> Findings:
    """Findings for ``codebook`` from coded segments and their cached embeddings.

    ``embeddings[i]`` must be the embedding of ``segments[i]``; segments without a code are
    counted in the corpus but take part in nothing else. ``pseudonyms`` saves rebuilding the
    pseudonymiser (a scan of every transcript) when the caller already has it.
    """
    options = options or FindingsOptions()
    by_segment = check_inputs(transcripts, segments, codes, embeddings, codebook)
    aligned = [by_segment.get(s.id) for s in segments]
    pseudonyms = pseudonyms or Pseudonymiser.from_transcripts(transcripts)
    informants = informants_by_key(segments, pseudonyms)
    run = _Run(segments, aligned, l2_normalise(embeddings), options)
    indicators = tuple(_indicator(run, ind) for ind in codebook.indicators)
    picked: dict[str, list[int]] = {f: [] for f in options.theme_functions}
    for i, code in enumerate(aligned):
        if (
            code is not None
            and code.function in picked
            and function_score(code) >= options.min_function_score
        ):
            picked[code.function].append(i)
    themes, links = themes_and_links(
        {f: [segments[i] for i in rows] for f, rows in picked.items()},
        {f: [aligned[i] for i in rows] for f, rows in picked.items()},  # type: ignore[misc]
        {f: embeddings[rows] if rows else None for f, rows in picked.items()},
        options,
        pseudonyms,
    )
    method = describe_method(
        options.judgement,
        options.themes,
        options.links,
        options.quotes,
        [c.model_version for c in codes],
    )
    log.info(
        "findings: %d indicators, %d themes, %d links", len(indicators), len(themes), len(links)
    )
    return Findings(
        version=FINDINGS_VERSION,
        generator=GENERATOR,
        codebook=CodebookInfo(codebook.id, codebook.name, codebook.theory, codebook.citation),
        corpus=corpus_summary(transcripts, segments, aligned, informants),
        indicators=indicators,
        themes=tuple(themes),
        links=tuple(links),
        method=method,
    )


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


def _indicator(run: _Run, indicator: Indicator) -> IndicatorFinding:
    ind_id = indicator.id
    rows = [i for i, c in enumerate(run.codes) if c is not None and c.indicator == ind_id]
    assessments = [run.codes[i].assessment for i in rows]  # type: ignore[union-attr]
    per_informant: dict[str, list[str | None]] = defaultdict(list)
    for i, assessment in zip(rows, assessments, strict=True):
        per_informant[run.informant_of(i)].append(assessment)
    balances = {key: balance_of(values) for key, values in per_informant.items()}
    policy = run.options.judgement
    judgement = policy.judge(list(balances.values()))
    by_role = _by_role(run, rows, balances, policy)
    note = divergence_note(by_role)
    if note:
        judgement = Judgement(
            judgement.label, judgement.level, judgement.score, f"{judgement.reason} {note}"
        )
    confidence = [run.codes[i].indicator_score for i in rows]  # type: ignore[union-attr]
    return IndicatorFinding(
        id=ind_id,
        label=indicator.label,
        definition=indicator.definition,
        sub_indicators=tuple(indicator.sub_indicators),
        n_segments=len(rows),
        n_informants=len(per_informant),
        n_sources=len({run.segments[i].source_id for i in rows}),
        balance=balance_of(assessments),
        by_role=by_role,
        judgement=judgement,
        quotes=_quotes(run, rows, run.options.quotes_per_indicator, confidence) if rows else (),
        segment_ids=tuple(run.segments[i].id for i in rows),
    )


def _by_role(
    run: _Run,
    rows: Sequence[int],
    balances: dict[str, EvidenceBalance],
    policy: JudgementPolicy,
) -> tuple[RoleBreakdown, ...]:
    out = []
    for role in ROLE_ORDER:
        role_rows = [i for i in rows if run.segments[i].role_category == role]
        if not role_rows:
            continue
        keys = sorted({run.informant_of(i) for i in role_rows})
        score = policy.score([balances[k] for k in keys])
        out.append(
            RoleBreakdown(
                role_category=role,
                n_segments=len(role_rows),
                n_informants=len(keys),
                balance=balance_of([run.codes[i].assessment for i in role_rows]),  # type: ignore[union-attr]
                score=None if score is None else round(score, 4),
            )
        )
    return tuple(out)


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
