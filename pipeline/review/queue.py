"""Which segment a coder should review next: uncertain ones first, but not ten alike in a row.

Uncertainty sampling alone keeps serving near-duplicates (the same complaint in ten interviews
sits at the same spot of the decision boundary), so the coder teaches the model one thing ten
times. The order here is maximal-marginal-relevance over windows of the uncertainty ranking:
each pick trades uncertainty against similarity to the picks just before it. Windows keep the
cost linear in the corpus size, which matters at hundreds of thousands of segments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise

import numpy as np


def margin_uncertainty(scores: Sequence[float]) -> float:
    """1 - (best - second best): 1 when the model cannot choose, 0 when it is sure."""
    ranked = sorted((float(s) for s in scores), reverse=True)
    if not ranked:
        return 1.0
    second = ranked[1] if len(ranked) > 1 else 0.0
    return float(min(1.0, max(0.0, 1.0 - (ranked[0] - second))))


def segment_uncertainty(
    indicator_scores: Sequence[float], function_scores: Mapping[str, float]
) -> float:
    """The larger of the two heads' uncertainties: a review settles both at once."""
    return max(
        margin_uncertainty(indicator_scores), margin_uncertainty(list(function_scores.values()))
    )


def hashed_features(texts: Sequence[str], dimension: int = 512) -> np.ndarray:
    """L2-normalised hashed word and word-pair counts: a model-free similarity for diversity."""
    import zlib

    out = np.zeros((len(texts), dimension), dtype=np.float32)
    for row, text in enumerate(texts):
        words = text.lower().split()
        for token in (*words, *(f"{a} {b}" for a, b in pairwise(words))):
            out[row, zlib.crc32(token.encode()) % dimension] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-9)


def diverse_order(
    uncertainty: Sequence[float],
    features: np.ndarray | Callable[[Sequence[int]], np.ndarray],
    *,
    diversity: float = 0.5,
    window: int = 64,
    memory: int = 10,
    head: int = 20_000,
) -> list[int]:
    """Indices in review order.

    Candidates are taken in descending uncertainty, ``window`` at a time; from the window the
    next pick maximises ``uncertainty - diversity * max cosine to the last `memory` picks``.
    ``diversity=0`` gives plain uncertainty order. ``features`` is a row-normalised matrix, or
    a function computing rows for given indices, so a corpus of hundreds of thousands of
    segments never needs its whole feature matrix in memory (only window + memory rows).
    Only the first ``head`` positions are diversified (no coder reviews further before the
    next retrain re-ranks everything); the tail stays in plain uncertainty order.
    """
    u = np.asarray(uncertainty, dtype=np.float64)
    n = len(u)
    if n == 0:
        return []
    if callable(features):
        featurize = features
    else:
        matrix = np.asarray(features, dtype=np.float32)

        def featurize(rows: Sequence[int]) -> np.ndarray:
            return matrix[list(rows)]

    by_uncertainty = np.argsort(-u, kind="stable")
    rows: dict[int, np.ndarray] = {}
    order: list[int] = []
    pool: list[int] = []
    cursor = 0
    while len(order) < min(n, head):
        if len(pool) < window and cursor < n:
            entering = [int(i) for i in by_uncertainty[cursor : cursor + window - len(pool)]]
            cursor += len(entering)
            if diversity > 0:
                rows.update(zip(entering, featurize(entering), strict=True))
            pool.extend(entering)
        recent = order[-memory:]
        score = u[pool]
        if recent and diversity > 0:
            sims = np.stack([rows[i] for i in pool]) @ np.stack([rows[i] for i in recent]).T
            score = score - diversity * sims.max(axis=1)
        best = int(np.argmax(score))
        order.append(pool.pop(best))
        if len(order) > memory:
            rows.pop(order[-memory - 1], None)  # out of memory and out of the pool
    pool.sort(key=lambda i: (-u[i], i))
    return [*order, *pool, *(int(i) for i in by_uncertainty[cursor:])]


def random_order(n: int, seed: int = 0) -> list[int]:
    """The baseline the bench compares against."""
    return [int(i) for i in np.random.default_rng(seed).permutation(n)]
