"""Pure logic: active-learning order and Cohen's kappa."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from pipeline.review.kappa import cohen_kappa, kappa_report
from pipeline.review.queue import (
    diverse_order,
    hashed_features,
    margin_uncertainty,
    random_order,
    segment_uncertainty,
)


def test_margin_uncertainty():
    assert margin_uncertainty([0.5, 0.5]) == 1.0
    assert margin_uncertainty([0.98, 0.01, 0.01]) == pytest.approx(0.03)
    assert segment_uncertainty([0.9, 0.05], {"indicator": 0.4, "other": 0.35}) == pytest.approx(
        0.95
    )


def test_order_without_diversity_is_by_uncertainty():
    u = [0.1, 0.9, 0.5, 0.7]
    assert diverse_order(u, hashed_features(["a", "b", "c", "d"]), diversity=0) == [1, 3, 2, 0]


def test_near_duplicates_are_spread_out():
    dup = "kendala jaringan internet sering putus di kantor kecamatan"
    texts = [dup] * 6 + [f"topik berbeda nomor {i} tentang {w}" for i, w in enumerate("abcdef")]
    u = [0.95] * 6 + [0.9] * 6  # the duplicates are the most uncertain
    order = diverse_order(u, hashed_features(texts), diversity=0.5, window=64)
    assert sorted(order) == list(range(12))
    first_half = order[:6]
    assert sum(i < 6 for i in first_half) <= 3  # plain uncertainty would show all six first
    assert not any(order[k] < 6 and order[k + 1] < 6 for k in range(5))


def test_random_order_is_a_permutation():
    assert sorted(random_order(50, seed=3)) == list(range(50))


def test_kappa_matches_sklearn():
    rng = np.random.default_rng(0)
    a = [str(x) for x in rng.integers(0, 4, 200)]
    b = [x if rng.random() < 0.6 else str(rng.integers(0, 4)) for x in a]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
    assert cohen_kappa([], []) is None
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None


def test_kappa_report_per_indicator():
    first = {"s1": "a", "s2": "a", "s3": "b", "s4": None, "s5": "b"}
    second = {"s1": "a", "s2": "b", "s3": "b", "s4": None, "s6": "a"}
    report = kappa_report(first, second, ["a", "b", "c"])
    assert report["n"] == 4 and report["agreement"] == 0.75
    assert report["per_indicator"]["a"] == pytest.approx(
        cohen_kappa_score([1, 1, 0, 0], [1, 0, 0, 0])
    )
    assert report["per_indicator"]["c"] is None  # neither used it: undefined, not perfect


def test_only_the_head_is_diversified_and_features_can_be_lazy():
    texts = ["sama persis"] * 4 + ["lain sekali", "beda lagi"]
    u = [0.9, 0.89, 0.88, 0.87, 0.5, 0.4]
    asked: list[int] = []

    def featurize(rows):
        asked.extend(rows)
        return hashed_features([texts[i] for i in rows])

    order = diverse_order(u, featurize, diversity=1.0, window=6, head=2)
    assert order[:2] == [0, 4]  # the duplicate is pushed behind a different segment
    assert order[2:] == [1, 2, 3, 5]  # the tail keeps uncertainty order
    assert sorted(set(asked)) == list(range(6))
