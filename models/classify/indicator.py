"""Which indicator a segment speaks to, or none.

The trained part predicts *concepts* (shared across theories, see corpora/train/CONCEPTS.md),
so every labelled example teaches every codebook; a codebook's indicator probability is the sum
of its concepts' probabilities. That conditional distribution over indicators is blended with
the codebook's zero-shot prior, weighted per indicator by ``k / (k + n_examples)``, so that an
indicator of a user's codebook with no examples still gets a sensible score from its
description. An abstain threshold on the best indicator's probability, tuned on out-of-fold
predictions for this codebook, turns weak answers into "no indicator".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from models.classify.heads import CalibratedHead, _check

NONE = "__none__"


class IndicatorHead(BaseEstimator):
    def __init__(
        self,
        C: float = 16.0,
        prior_strength: float = 10.0,
        tune_threshold: bool = True,
        cv: int = 3,
        calibration: str = "none",
    ) -> None:
        self.C = C
        self.calibration = calibration
        self.prior_strength = prior_strength
        self.tune_threshold = tune_threshold
        self.cv = cv

    def fit(
        self,
        X: np.ndarray,
        concepts: Sequence[str],
        concept_map: Mapping[str, str],
        indicators: Sequence[str],
        prior_proba: np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> IndicatorHead:
        """``concepts`` holds each example's primary concept or :data:`NONE`; ``concept_map``
        maps concepts to this codebook's ``indicators``; ``prior_proba`` is the zero-shot prior
        for each example (columns in ``indicators`` order)."""
        concepts_arr = np.asarray(concepts, dtype=object)
        self.indicators_ = np.asarray(indicators)
        self.concept_map_ = dict(concept_map)
        gold = np.array([self.concept_map_.get(c, NONE) for c in concepts_arr], dtype=object)
        self.n_examples_ = {c: int((gold == c).sum()) for c in self.indicators_}
        self.weights_ = np.array(
            [
                self.prior_strength / (self.prior_strength + self.n_examples_[c])
                for c in self.indicators_
            ]
        )
        head = CalibratedHead(C=self.C, class_weight=None, calibration=self.calibration)
        self.head_ = clone(head).fit(X, concepts_arr, sample_weight=sample_weight)
        self.threshold_ = 0.0
        counts = np.unique(concepts_arr, return_counts=True)[1]
        if self.tune_threshold and len(self.head_.classes_) > 1 and counts.min() >= 2:
            # The threshold must be placed on probabilities like the final model's, so the
            # out-of-fold model is the same kind of model (calibrated or not).
            folds = StratifiedKFold(
                n_splits=min(self.cv, int(counts.min())), shuffle=True, random_state=0
            )
            fast = CalibratedHead(C=self.C, class_weight=None, calibration=self.calibration, cv=2)
            oof = cross_val_predict(fast, X, concepts_arr, cv=folds, method="predict_proba")
            self.threshold_ = self._best_threshold(self._combine(oof, prior_proba), gold)
        return self

    def _mapping_matrix(self) -> np.ndarray:
        """(n_concept_classes, n_indicators): 1 where a concept feeds an indicator."""
        index = {c: i for i, c in enumerate(self.indicators_)}
        matrix = np.zeros((len(self.head_.classes_), len(self.indicators_)))
        for row, concept in enumerate(self.head_.classes_):
            indicator = self.concept_map_.get(concept)
            if indicator in index:
                matrix[row, index[indicator]] = 1.0
        return matrix

    def _combine(self, concept_proba: np.ndarray, prior_proba: np.ndarray) -> np.ndarray:
        """Columns: indicators in codebook order, then NONE."""
        trained = concept_proba @ self._mapping_matrix()
        relevant = trained.sum(axis=1)
        conditional = trained / np.maximum(relevant, 1e-12)[:, None]
        conditional = (1 - self.weights_) * conditional + self.weights_ * prior_proba
        conditional /= conditional.sum(axis=1, keepdims=True)
        return np.hstack([conditional * relevant[:, None], (1.0 - relevant)[:, None]])

    def _best_threshold(self, proba: np.ndarray, gold: np.ndarray) -> float:
        labels = np.append(self.indicators_, NONE)
        best, best_f1 = 0.0, -1.0
        for threshold in np.linspace(0.02, 0.9, 45):
            f1 = f1_score(
                gold,
                self._decide(proba, threshold),
                labels=labels,
                average="macro",
                zero_division=0,
            )
            if f1 > best_f1 + 1e-9:
                best, best_f1 = float(threshold), f1
        return best

    def _decide(self, proba: np.ndarray, threshold: float) -> np.ndarray:
        """The best indicator when its probability reaches the threshold, else NONE."""
        top = np.argmax(proba[:, :-1], axis=1)
        pred = self.indicators_[top].astype(object)
        pred[proba[np.arange(len(proba)), top] < threshold] = NONE
        return pred

    def predict_proba(self, X: np.ndarray, prior_proba: np.ndarray) -> np.ndarray:
        _check(self, "head_")
        return self._combine(self.head_.predict_proba(X), prior_proba)

    def predict(self, X: np.ndarray, prior_proba: np.ndarray) -> np.ndarray:
        return self._decide(self.predict_proba(X, prior_proba), self.threshold_)
