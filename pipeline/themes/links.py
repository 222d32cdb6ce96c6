"""Which obstacle themes does each effort theme answer, and on what evidence.

A findings chapter says "to overcome the shortage of staff, the office recruited volunteers".
Three independent signals support such a link, and each is kept so the report can show it:

* meaning: the effort theme's centroid is close to the obstacle theme's (cosine, rescaled over
  all effort x obstacle pairs of the study, because raw cosines of sentence embeddings sit in a
  narrow band whose position depends on the model);
* co-occurrence: informants who talk about the effort also raise the obstacle in the same
  interview more often than interviews raise that obstacle at all. Raw co-occurrence
  (``P(obstacle | effort)``) is reported, but the score uses its excess over the baseline
  ``P(obstacle)``, rescaled to 0..1 and shrunk by ``k / (k + 1)`` for an effort raised in
  ``k`` interviews: an obstacle every informant mentions co-occurs with everything and is
  evidence for nothing, and one interview is weak evidence of a pattern;
* taxonomy: the effort's category is known to answer the obstacle's category.

``score = w_meaning * meaning + w_interview * excess + w_taxonomy * taxonomy``; a link is kept
when the score reaches ``threshold``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.themes.cluster import centroid
from pipeline.themes.taxonomy import Taxonomy


@dataclass(frozen=True, slots=True)
class LinkEvidence:
    """One interview in which both themes occur: the closest pair of its segments."""

    source_id: str
    effort_segment: str
    obstacle_segment: str
    similarity: float


@dataclass(frozen=True, slots=True)
class ThemeLink:
    effort_theme: str
    obstacle_theme: str
    score: float
    similarity: float
    meaning: float
    cooccurrence: float
    baseline: float
    excess: float
    shared_sources: int
    taxonomy_match: bool
    evidence: tuple[LinkEvidence, ...]


@dataclass(frozen=True)
class ThemeMembers:
    """What linking needs of a theme; ``unit_rows`` are L2-normalised, aligned with the ids."""

    id: str
    category: str | None
    segment_ids: tuple[str, ...]
    source_ids: tuple[str, ...]
    unit_rows: np.ndarray


@dataclass(frozen=True)
class LinkConfig:
    w_meaning: float = 0.4
    w_interview: float = 0.4
    w_taxonomy: float = 0.2
    threshold: float = 0.6
    max_links: int = 2
    max_evidence: int = 5


def link_efforts(
    efforts: Sequence[ThemeMembers],
    obstacles: Sequence[ThemeMembers],
    taxonomy: Taxonomy,
    config: LinkConfig | None = None,
) -> list[ThemeLink]:
    """Links sorted by effort theme, then by descending score."""
    config = config or LinkConfig()
    if not efforts or not obstacles:
        return []
    sims = np.array(
        [[float(centroid(e.unit_rows) @ centroid(o.unit_rows)) for o in obstacles] for e in efforts]
    )
    low, high = float(sims.min()), float(sims.max())
    meaning = (sims - low) / (high - low) if high > low else np.ones_like(sims)
    interviews = {s for theme in (*efforts, *obstacles) for s in theme.source_ids}
    links: list[ThemeLink] = []
    for i, effort in enumerate(efforts):
        answers = _answers(effort, taxonomy)
        candidates = []
        for j, obstacle in enumerate(obstacles):
            shared = sorted(set(effort.source_ids) & set(obstacle.source_ids))
            cooc = len(shared) / len(set(effort.source_ids))
            baseline = len(set(obstacle.source_ids)) / len(interviews)
            k = len(set(effort.source_ids))
            excess = max(0.0, (cooc - baseline) / (1.0 - baseline)) if baseline < 1 else 0.0
            excess *= k / (k + 1)
            tax = obstacle.category is not None and obstacle.category in answers
            score = (
                config.w_meaning * float(meaning[i, j])
                + config.w_interview * excess
                + config.w_taxonomy * float(tax)
            )
            if score < config.threshold:
                continue
            candidates.append(
                ThemeLink(
                    effort_theme=effort.id,
                    obstacle_theme=obstacle.id,
                    score=round(score, 4),
                    similarity=round(float(sims[i, j]), 4),
                    meaning=round(float(meaning[i, j]), 4),
                    cooccurrence=round(cooc, 4),
                    baseline=round(baseline, 4),
                    excess=round(excess, 4),
                    shared_sources=len(shared),
                    taxonomy_match=tax,
                    evidence=_evidence(effort, obstacle, shared, config.max_evidence),
                )
            )
        candidates.sort(key=lambda link: (-link.score, link.obstacle_theme))
        links.extend(candidates[: config.max_links])
    return links


def _answers(effort: ThemeMembers, taxonomy: Taxonomy) -> tuple[str, ...]:
    if effort.category is None:
        return ()
    category = taxonomy.get("effort", effort.category)
    return category.answers if category else ()


def _evidence(
    effort: ThemeMembers, obstacle: ThemeMembers, shared: Sequence[str], limit: int
) -> tuple[LinkEvidence, ...]:
    found = []
    for source in shared:
        e_idx = [k for k, s in enumerate(effort.source_ids) if s == source]
        o_idx = [k for k, s in enumerate(obstacle.source_ids) if s == source]
        pair_sims = effort.unit_rows[e_idx] @ obstacle.unit_rows[o_idx].T
        a, b = np.unravel_index(int(np.argmax(pair_sims)), pair_sims.shape)
        found.append(
            LinkEvidence(
                source_id=source,
                effort_segment=effort.segment_ids[e_idx[a]],
                obstacle_segment=obstacle.segment_ids[o_idx[b]],
                similarity=round(float(pair_sims[a, b]), 4),
            )
        )
    found.sort(key=lambda ev: (-ev.similarity, ev.source_id))
    return tuple(found[:limit])
