"""Choose the quotes a findings chapter would print for an indicator or a theme.

A good quote is typical of its group (close to the group's centroid), is something the
classifier is sure about, and is long enough to stand alone but short enough to print. A good
*set* of quotes comes from different people in different roles and, when the evidence is
divided, shows both sides. So candidates are scored and then picked greedily, each pick
discounting the remaining candidates from the same informant or role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.themes.cluster import centroid


@dataclass(frozen=True, slots=True)
class Candidate:
    informant: str
    role_category: str
    confidence: float
    n_words: int
    assessment: str | None = None


@dataclass(frozen=True, slots=True)
class Pick:
    index: int
    score: float
    centrality: float


@dataclass(frozen=True)
class QuoteConfig:
    min_words: int = 8
    max_words: int = 70
    same_informant: float = 0.25
    same_role: float = 0.6
    show_both_sides: bool = True


def _length_factor(n_words: int, config: QuoteConfig) -> float:
    if n_words < config.min_words:
        return max(n_words, 1) / config.min_words
    if n_words > config.max_words:
        return float(np.sqrt(config.max_words / n_words))
    return 1.0


def centralities(unit_rows: np.ndarray) -> np.ndarray:
    """Cosine to the group centroid, rescaled to 0.25..1 within the group.

    Raw cosines of one model sit in a narrow band; rescaling makes "most typical" matter as
    much as confidence, and the floor keeps an atypical but certain quote in the running.
    """
    return rescale_centralities(np.asarray(unit_rows, dtype=np.float64) @ centroid(unit_rows))


def select_quotes(
    unit_rows: np.ndarray,
    candidates: Sequence[Candidate],
    k: int,
    config: QuoteConfig | None = None,
) -> list[Pick]:
    """Up to ``k`` picks in reading order of merit (best first)."""
    if k <= 0 or not candidates:
        return []
    return pick_quotes(centralities(unit_rows), candidates, k, config)


def rescale_centralities(raw: np.ndarray) -> np.ndarray:
    """Raw cosines to the centroid, rescaled as :func:`centralities` does."""
    raw = np.asarray(raw, dtype=np.float64)
    low, high = float(raw.min()), float(raw.max())
    if high - low < 1e-9:
        return np.ones_like(raw)
    return 0.25 + 0.75 * (raw - low) / (high - low)


def pick_quotes(
    central: np.ndarray,
    candidates: Sequence[Candidate],
    k: int,
    config: QuoteConfig | None = None,
) -> list[Pick]:
    """:func:`select_quotes` from centralities computed elsewhere.

    A streaming caller cannot hold every candidate's embedding: it computes the centroid in one
    pass over the corpus and each candidate's cosine to it in a second, then picks here.
    """
    config = config or QuoteConfig()
    if k <= 0 or not candidates:
        return []
    base = np.array(
        [
            central[i] * c.confidence * _length_factor(c.n_words, config)
            for i, c in enumerate(candidates)
        ]
    )
    chosen: list[int] = []
    sides = {c.assessment for c in candidates} & {"positive", "negative"}
    while len(chosen) < min(k, len(candidates)):
        pool = [i for i in range(len(candidates)) if i not in chosen]
        last_slot = len(chosen) == k - 1
        if config.show_both_sides and last_slot and len(sides) == 2 and k >= 2:
            shown = {candidates[i].assessment for i in chosen}
            missing = sides - shown
            if missing:
                pool = [i for i in pool if candidates[i].assessment in missing] or pool
        adjusted = [
            (base[i] * _discount(candidates[i], chosen, candidates, config), i) for i in pool
        ]
        best = max(adjusted, key=lambda pair: (pair[0], -pair[1]))[1]
        chosen.append(best)
    return [Pick(i, round(float(base[i]), 4), round(float(central[i]), 4)) for i in chosen]


def _discount(
    candidate: Candidate, chosen: list[int], candidates: Sequence[Candidate], config: QuoteConfig
) -> float:
    factor = 1.0
    if any(candidates[j].informant == candidate.informant for j in chosen):
        factor *= config.same_informant
    if any(candidates[j].role_category == candidate.role_category for j in chosen):
        factor *= config.same_role
    return factor
