from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score

from pipeline.themes.cluster import AutoKClustering, canonical_labels, centroid, l2_normalise


def clustered(sizes: list[int], dim: int = 16, noise: float = 0.15, seed: int = 0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), dim))
    truth = np.repeat(np.arange(len(sizes)), sizes)
    X = centres[truth] + noise * rng.normal(size=(len(truth), dim))
    return X, truth


@pytest.mark.parametrize("sizes", [[5, 5, 5], [8, 4, 3, 2], [6, 6]])
def test_recovers_the_number_and_membership_of_constructed_themes(sizes):
    X, truth = clustered(sizes)
    model = AutoKClustering().fit(X)
    assert model.n_clusters_ == len(sizes)
    assert adjusted_rand_score(truth, model.labels_) == 1.0
    assert model.scores_[len(sizes)] == pytest.approx(model.silhouette_, abs=1e-4)


def test_one_homogeneous_group_is_not_split():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(12, 8)) * 0.01 + np.ones(8)
    # every split of pure noise around one direction has a poor silhouette
    model = AutoKClustering(min_silhouette=0.5).fit(X)
    assert model.n_clusters_ == 1
    assert set(model.labels_) == {0}
    assert "satu tema" in model.describe()


def test_labels_are_canonical_largest_first_and_deterministic():
    X, _ = clustered([2, 6, 4], seed=3)
    first = AutoKClustering().fit_predict(X)
    again = AutoKClustering().fit_predict(X[::1].copy())
    assert np.array_equal(first, again)
    sizes = np.bincount(first)
    assert list(sizes) == sorted(sizes, reverse=True)
    assert list(canonical_labels(np.array([5, 5, 9, 9, 9, 1]))) == [1, 1, 0, 0, 0, 2]


def test_themes_that_share_one_dominant_direction_are_still_separated():
    # like sentence embeddings of one kind of answer: a big common part, small topical parts
    rng = np.random.default_rng(5)
    common = 20 * rng.normal(size=24)
    X, truth = clustered([6, 6, 6], dim=24, noise=0.1, seed=6)
    model = AutoKClustering().fit(X + common)
    assert adjusted_rand_score(truth, model.labels_) == 1.0


def test_a_lone_outlier_is_never_a_theme_of_its_own():
    X, _ = clustered([12], dim=10, noise=0.3, seed=2)
    outlier = np.full((1, 10), 25.0)
    labels = AutoKClustering().fit_predict(np.vstack([X, outlier]))
    assert np.bincount(labels).min() >= 2


def test_in_large_groups_no_theme_may_hold_most_segments():
    X, truth = clustered([20, 3, 3], dim=12, noise=0.2, seed=4)
    model = AutoKClustering().fit(X)
    assert np.bincount(model.labels_).max() <= 0.6 * len(X) or model.n_clusters_ == 1
    lenient = AutoKClustering(max_share=1.0).fit(X)
    assert adjusted_rand_score(truth, lenient.labels_) == 1.0


def test_tiny_inputs_give_a_single_theme():
    assert list(AutoKClustering().fit_predict(np.eye(2))) == [0, 0]
    assert list(AutoKClustering().fit_predict(np.ones((1, 3)))) == [0]


def test_follows_scikit_learn_estimator_rules():
    model = AutoKClustering(k_max=4)
    assert clone(model).get_params()["k_max"] == 4
    with pytest.raises(NotFittedError):
        model.describe()
    X, _ = clustered([4, 4])
    assert "silhouette" in model.fit(X).describe()


def test_centroid_and_normalisation_are_unit_length():
    X = np.array([[3.0, 4.0], [0.0, 0.0]])
    unit = l2_normalise(X)
    assert np.allclose(unit[0], [0.6, 0.8]) and np.allclose(unit[1], 0)
    assert np.linalg.norm(
        centroid(l2_normalise(np.array([[1.0, 0.0], [0.0, 1.0]])))
    ) == pytest.approx(1)
