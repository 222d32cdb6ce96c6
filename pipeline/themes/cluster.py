"""Group segment embeddings into themes, choosing the number of themes from the data.

A researcher cannot be asked "how many obstacle themes are there?" before reading the
interviews, so the clusterer cuts one hierarchical tree at every k in a range and keeps the cut
whose clusters are best separated (cosine silhouette), among the cuts a findings chapter could
use. Three choices come from running it on real interview embeddings:

* Embeddings are centred on the group's mean first. Sentence embeddings of one kind of answer
  ("an obstacle, in spoken Indonesian") share a large common direction; what separates staff
  shortage from network trouble is the small remainder, so it is what must be clustered.
* Ward linkage (on the unit-length centred vectors, where Euclidean distance orders pairs as
  cosine does) rather than average linkage, which on such data peels off single outliers and
  leaves one giant cluster.
* Silhouettes of interview data are low and flat, so a cut is only eligible when no theme is a
  lone segment and, in larger groups, no theme holds most of the segments: a "theme" of one
  quote or of everything says nothing. The tree is deterministic (no random restarts), so the
  same corpus always gives the same themes.
"""

from __future__ import annotations

import logging
import math
from typing import Protocol

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.metrics import silhouette_score
from sklearn.utils.validation import check_array, check_is_fitted

log = logging.getLogger(__name__)


class ThemeClusterer(Protocol):
    """Anything that assigns one cluster label per row; labels are 0..k-1."""

    def fit_predict(self, X: np.ndarray, y: None = None) -> np.ndarray: ...


def l2_normalise(X: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), so dot products are cosines."""
    X = np.asarray(X, dtype=np.float64)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms == 0.0, 1.0, norms)


def canonical_labels(labels: np.ndarray) -> np.ndarray:
    """Renumber clusters by size (largest first), ties by first member.

    Cluster numbers otherwise depend on the algorithm's internals; theme ids and their order in
    the report must not change when an unrelated detail of the clustering does.
    """
    labels = np.asarray(labels)
    unique = np.unique(labels)
    order = sorted(unique, key=lambda c: (-int(np.sum(labels == c)), int(np.argmax(labels == c))))
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping[label] for label in labels], dtype=np.int64)


class AutoKClustering(ClusterMixin, BaseEstimator):
    """Ward clustering of centred, unit-length embeddings; k chosen by cosine silhouette.

    k runs from ``k_min`` to ``min(k_max, ceil(sqrt(n)), n - 1)``. A cut is eligible when its
    smallest cluster has at least ``min_size`` segments and, for groups of at least
    ``large_group`` segments, its largest cluster holds at most ``max_share`` of them. The
    eligible cut with the highest silhouette wins if it reaches ``min_silhouette``; otherwise
    the segments stay one theme, because a forced split of a homogeneous group would invent
    themes the researcher then has to undo.

    Attributes after fit: ``labels_``, ``n_clusters_``, ``silhouette_`` (of the chosen k, or
    ``nan`` for one cluster) and ``scores_`` (every tried k to its silhouette).
    """

    def __init__(
        self,
        k_min: int = 2,
        k_max: int = 8,
        min_silhouette: float = 0.02,
        min_size: int = 2,
        max_share: float = 0.6,
        large_group: int = 20,
        center: bool = True,
        silhouette_sample: int = 2000,
        random_state: int = 0,
    ) -> None:
        self.k_min = k_min
        self.k_max = k_max
        self.min_silhouette = min_silhouette
        self.min_size = min_size
        self.max_share = max_share
        self.large_group = large_group
        self.center = center
        self.silhouette_sample = silhouette_sample
        self.random_state = random_state

    def _space(self, X: np.ndarray) -> np.ndarray:
        if self.center and X.shape[0] > 1:
            X = X - X.mean(axis=0)
        return l2_normalise(X)

    def _eligible(self, labels: np.ndarray) -> bool:
        sizes = np.bincount(labels)
        sizes = sizes[sizes > 0]
        if sizes.min() < self.min_size:
            return False
        n = int(sizes.sum())
        return n < self.large_group or sizes.max() <= self.max_share * n

    def fit(self, X: np.ndarray, y: None = None) -> AutoKClustering:
        X = check_array(X, dtype=np.float64)
        space = self._space(X)
        n = space.shape[0]
        self.scores_: dict[int, float] = {}
        best_k, best_score, best_labels = 1, float("nan"), np.zeros(n, dtype=np.int64)
        upper = min(self.k_max, math.ceil(math.sqrt(n)), n - 1)
        # one tree, cut at every k: the O(n^2) part is paid once
        tree = linkage(space, method="ward") if upper >= 2 else None
        for k in range(max(2, self.k_min), upper + 1):
            labels = fcluster(tree, t=k, criterion="maxclust") - 1
            if len(np.unique(labels)) < 2:
                continue
            score = float(
                silhouette_score(
                    space,
                    labels,
                    metric="cosine",
                    sample_size=min(self.silhouette_sample, n),
                    random_state=self.random_state,
                )
            )
            self.scores_[k] = round(score, 4)
            if not self._eligible(labels) or score < self.min_silhouette:
                continue
            # strict ">" keeps the smaller k on ties: fewer, broader themes read better
            if np.isnan(best_score) or score > best_score:
                best_k, best_score, best_labels = k, score, labels
        self.labels_ = canonical_labels(best_labels)
        self.n_clusters_ = best_k
        self.silhouette_ = best_score
        log.debug("chose k=%d (silhouette %.3f) from %s", best_k, best_score, self.scores_)
        return self

    def fit_predict(self, X: np.ndarray, y: None = None, **kwargs: object) -> np.ndarray:
        return self.fit(X).labels_

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "labels_")

    def describe(self) -> str:
        """One Indonesian sentence for the method notes of the report."""
        check_is_fitted(self)
        if self.n_clusters_ == 1:
            return "Semua segmen membentuk satu tema (tidak ada pemisahan yang cukup jelas)."
        return (
            f"Jumlah tema ({self.n_clusters_}) dipilih otomatis dengan skor silhouette "
            f"tertinggi ({self.silhouette_:.2f})."
        )


def centroid(unit_rows: np.ndarray) -> np.ndarray:
    """Mean direction of unit rows, itself unit length (zero vector if they cancel out)."""
    mean = np.asarray(unit_rows, dtype=np.float64).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else mean
