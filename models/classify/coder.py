"""One codebook's classifier: indicator, function, scope and assessment heads together.

The output of :meth:`SegmentClassifier.predict_codes` is the ``telaah classify`` contract: an
``indicator`` whenever the segment speaks to one (whatever its function), a ``function`` among
indicator/obstacle/effort/supporting_factor/other, a ``scope`` for obstacles and an
``assessment`` always. Inputs are the segment embeddings (encoded once, upstream) and the raw
texts (for the n-gram features).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from models.classify.heads import CalibratedHead, _check
from models.classify.indicator import NONE, IndicatorHead
from models.classify.text_features import HybridFeatures
from models.classify.zero_shot import ZeroShotPrior
from models.training.data import FUNCTIONS, LabelledSegment
from pipeline.codebook.model import Codebook


def codebook_labels(
    examples: Sequence[LabelledSegment], codebook: Codebook
) -> tuple[list[str], list[str]]:
    """Gold (indicator, function) per example as seen through ``codebook``.

    Evidence about a concept this codebook has no indicator for is, for this codebook, "other".
    """
    indicators, functions = [], []
    for e in examples:
        indicator = codebook.indicator_for_concepts(e.concepts) if e.concepts else None
        indicators.append(indicator or NONE)
        functions.append("other" if e.function == "indicator" and indicator is None else e.function)
    return indicators, functions


# Bumped whenever the fitted attributes change shape, so the registry never loads a model
# written by older code into newer code (it retrains or says so instead).
CLASSIFIER_FORMAT = "3"


class SegmentClassifier(BaseEstimator):
    def __init__(
        self,
        codebook_id: str,
        C: float = 16.0,
        prior_strength: float = 10.0,
        use_ngrams: bool = True,
        model_version: str = "unversioned",
    ) -> None:
        self.codebook_id = codebook_id
        self.C = C
        self.prior_strength = prior_strength
        self.use_ngrams = use_ngrams
        self.model_version = model_version

    def fit(
        self,
        X: np.ndarray,
        examples: Sequence[LabelledSegment],
        codebook: Codebook,
        description_embeddings: np.ndarray,
        description_labels: Sequence[str],
    ) -> SegmentClassifier:
        texts = [e.text for e in examples]
        weights = np.array([e.weight for e in examples], dtype=np.float64)
        self.features_ = HybridFeatures(use_ngrams=self.use_ngrams).fit(texts)
        F = self.features_.transform(X, texts)
        self.prior_ = ZeroShotPrior().fit(description_embeddings, description_labels)
        indicators = list(codebook.indicator_ids)
        concepts = [e.concepts[0] if e.concepts else NONE for e in examples]
        self.indicator_ = IndicatorHead(C=self.C, prior_strength=self.prior_strength).fit(
            F,
            concepts,
            codebook.concept_map,
            indicators,
            self._prior(X, indicators),
            sample_weight=weights,
        )
        # Functions are learned across codebooks; "indicator" evidence about a concept this
        # codebook does not measure is "other" for it (see predict_codes).
        self.function_ = CalibratedHead(C=self.C).fit(
            F, np.array([e.function for e in examples]), sample_weight=weights
        )
        obstacle = np.array([e.function == "obstacle" and e.scope is not None for e in examples])
        self.scope_ = CalibratedHead(C=self.C).fit(
            F[obstacle],
            np.array([e.scope for e in examples])[obstacle],
            sample_weight=weights[obstacle],
        )
        rated = np.array([e.assessment is not None for e in examples])
        self.assessment_ = CalibratedHead(C=self.C).fit(
            F[rated],
            np.array([e.assessment for e in examples])[rated],
            sample_weight=weights[rated],
        )
        self.indicator_ids_ = indicators
        return self

    def _prior(self, X: np.ndarray, indicators: Sequence[str]) -> np.ndarray:
        """Zero-shot prior with columns in codebook order."""
        proba = self.prior_.predict_proba(X)
        order = [list(self.prior_.classes_).index(i) for i in indicators]
        return proba[:, order]

    def predict_codes(
        self, X: np.ndarray, ids: Sequence[str], texts: Sequence[str]
    ) -> list[dict[str, Any]]:
        _check(self, "indicator_", self.codebook_id)
        X = np.asarray(X, dtype=np.float32)
        F = self.features_.transform(X, texts)
        ind_proba = self.indicator_.predict_proba(F, self._prior(X, self.indicator_ids_))
        ind_pred = self.indicator_._decide(ind_proba, self.indicator_.threshold_)
        fun_proba = self.function_.predict_proba(F)
        fun_classes = list(self.function_.classes_)
        scope_proba = self.scope_.predict_proba(F)
        assess_proba = self.assessment_.predict_proba(F)
        labels = list(self.indicator_.indicators_)
        out = []
        for row, segment_id in enumerate(ids):
            ranked = sorted(zip(labels, ind_proba[row, :-1], strict=True), key=lambda kv: -kv[1])
            indicator = None if ind_pred[row] == NONE else str(ind_pred[row])
            scores = {
                f: float(fun_proba[row, fun_classes.index(f)]) if f in fun_classes else 0.0
                for f in FUNCTIONS
            }
            function = max(scores, key=scores.__getitem__)
            if function == "indicator" and indicator is None:
                function = "other"  # evidence, but about nothing this codebook measures
            scope = (
                str(self.scope_.classes_[np.argmax(scope_proba[row])])
                if function == "obstacle"
                else None
            )
            assessment = (
                str(self.assessment_.classes_[np.argmax(assess_proba[row])])
                if indicator is not None
                else "neutral"
            )
            out.append(
                {
                    "id": segment_id,
                    "indicator": indicator,
                    "indicator_score": round(float(ranked[0][1]) if indicator else 0.0, 4),
                    "indicators": [{"id": i, "score": round(float(s), 4)} for i, s in ranked],
                    "function": function,
                    "function_scores": {f: round(s, 4) for f, s in scores.items()},
                    "scope": scope,
                    "assessment": assessment,
                    "assessment_scores": {
                        str(c): round(float(p), 4)
                        for c, p in zip(self.assessment_.classes_, assess_proba[row], strict=True)
                    },
                    "model_version": self.model_version,
                }
            )
        return out
