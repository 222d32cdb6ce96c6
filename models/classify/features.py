"""What the models see of a segment: the colloquial-normalised text, with e5's "query" prompt.

Kept in one place so that training, classification, themes and the embedding cache agree; a
change here changes every cache key, which is exactly what should happen.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.segment.normalize import normalize_colloquial

# e5 recommends the "query: " prefix when embeddings are used as features (probing, clustering).
MODEL_PROMPT = "query"


def model_texts(texts: Sequence[str]) -> list[str]:
    return [normalize_colloquial(t) or t for t in texts]
