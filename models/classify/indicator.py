"""Which indicator a segment speaks to, or none: a trained head blended with the zero-shot prior.

``P(indicator) = P(relevant) * P(indicator | relevant)``. The trained head gives both terms where
labelled data exists; the conditional term is blended with the codebook's zero-shot prior,
weighted per indicator by ``k / (k + n_examples)``, so indicators with little data lean on their
descriptions and well-covered ones on their examples. An abstain threshold, tuned on
out-of-fold predictions, turns low-confidence answers into "no indicator".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from models.classify.heads import CalibratedHead, _check
from models.classify.zero_shot import ZeroShotPrior

NONE = "__none__"
ANY = "__any__"


class IndicatorHead(BaseEstimator):
    def __init__(self, C: float = 4.0, prior_strength: float = 10.0, tune_threshold: bool = True, cv: int = 4) -> None:
        self.C = C
        self.prior_strength = prior_strength
        self.tune_threshold = tune_threshold
        self.cv = cv

    def fit(
        self,
        X: np.ndarray,
        y: Sequence[str],
        prior: ZeroShotPrior,
        relevance: Sequence[bool] | None = None,
        sample_weight: np.ndarray | None = None,
    ) -> IndicatorHead:
        """``y`` holds indicator ids or :data:`NONE`; ``relevance`` (any concept at all) trains
        the relevance term when the codebook has fewer than two indicators with examples."""
        y_arr = np.asarray(y, dtype=object)
        self.prior_ = prior
        self.indicators_ = np.asarray(prior.classes_)
        counts = {c: int((y_arr == c).sum()) for c in self.indicators_}
        self.n_examples_ = counts
        self.supervised_ = sum(1 for n in counts.values() if n > 0) >= 2
        target = y_arr if self.supervised_ else np.where(np.asarray(relevance, dtype=bool), ANY, NONE)
        head = CalibratedHead(C=self.C)
        self.head_ = clone(head).fit(X, target, sample_weight=sample_weight)
        self.weights_ = np.array([self.prior_strength / (self.prior_strength + counts[c]) for c in self.indicators_])
        self.threshold_ = 0.0
        if self.tune_threshold and self.supervised_:
            folds = StratifiedKFold(n_splits=self.cv, shuffle=True, random_state=0)
            oof = cross_val_predict(clone(head), X, target, cv=folds, method="predict_proba")
            self.threshold_ = self._best_threshold(self._combine(oof, X), y_arr)
        return self

    def _combine(self, head_proba: np.ndarray, X: np.ndarray) -> np.ndarray:
        """Columns: indicators in codebook order, then NONE."""
        classes = list(self.head_.classes_)
        p_none = head_proba[:, classes.index(NONE)] if NONE in classes else np.zeros(len(X))
        prior = self.prior_.predict_proba(X)
        if self.supervised_:
            trained = np.stack(
                [head_proba[:, classes.index(c)] if c in classes else np.zeros(len(X)) for c in self.indicators_], axis=1
            )
            relevant = np.maximum(1.0 - p_none, 1e-9)[:, None]
            conditional = (1 - self.weights_) * (trained / relevant) + self.weights_ * prior
        else:
            conditional = prior
        conditional /= conditional.sum(axis=1, keepdims=True)
        return np.hstack([conditional * (1.0 - p_none)[:, None], p_none[:, None]])

    def _best_threshold(self, proba: np.ndarray, y: np.ndarray) -> float:
        labels = np.append(self.indicators_, NONE)
        best, best_f1 = 0.0, -1.0
        for threshold in np.linspace(0.0, 0.8, 33):
            pred = self._decide(proba, threshold)
            f1 = f1_score(y, pred, labels=labels, average="macro", zero_division=0)
            if f1 > best_f1 + 1e-9:
                best, best_f1 = float(threshold), f1
        return best

    def _decide(self, proba: np.ndarray, threshold: float) -> np.ndarray:
        labels = np.append(self.indicators_, NONE).astype(object)
        top = np.argmax(proba, axis=1)
        pred = labels[top]
        indicator_score = proba[np.arange(len(proba)), np.argmax(proba[:, :-1], axis=1)]
        pred[(pred != NONE) & (indicator_score < threshold)] = NONE
        return pred

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        _check(self, "head_")
        return self._combine(self.head_.predict_proba(X), X)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self._decide(self.predict_proba(X), self.threshold_)
