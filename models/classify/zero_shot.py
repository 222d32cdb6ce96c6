"""A zero-shot prior from the codebook itself: similarity to each indicator's description.

A user's own codebook may have indicators no labelled example speaks to. Each indicator is
described by its label, definition, sub-indicators and typical phrases; a segment's similarity
to the centroid of those descriptions, turned into a distribution by a softmax, is a usable
prior that the trained head can lean on where data is thin.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator

from models.classify.heads import _check
from pipeline.codebook.model import Codebook


def indicator_descriptions(codebook: Codebook) -> tuple[list[str], list[str]]:
    """(texts, indicator id per text) describing every indicator of ``codebook``."""
    texts: list[str] = []
    labels: list[str] = []
    for indicator in codebook.indicators:
        parts = [
            f"{indicator.label}: {indicator.definition}",
            *indicator.sub_indicators,
            *indicator.typical_phrases,
        ]
        texts.extend(parts)
        labels.extend([indicator.id] * len(parts))
    return texts, labels


def _normalise(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float32)
    return X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)


class ZeroShotPrior(BaseEstimator):
    """Softmax over cosine similarity to per-indicator centroids of description embeddings."""

    def __init__(self, temperature: float = 0.02) -> None:
        self.temperature = temperature

    def fit(self, description_embeddings: np.ndarray, labels: Sequence[str]) -> ZeroShotPrior:
        E = _normalise(description_embeddings)
        labels_arr = np.asarray(labels)
        self.classes_ = np.array(sorted(set(labels)))
        centroids = np.stack([E[labels_arr == c].mean(axis=0) for c in self.classes_])
        self.centroids_ = _normalise(centroids)
        return self

    def similarity(self, X: np.ndarray) -> np.ndarray:
        _check(self, "centroids_")
        return _normalise(X) @ self.centroids_.T

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        logits = self.similarity(X) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[np.argmax(self.similarity(X), axis=1)]
