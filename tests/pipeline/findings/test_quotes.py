from __future__ import annotations

import numpy as np

from pipeline.findings.quotes import Candidate, QuoteConfig, centralities, select_quotes


def rows(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = np.ones((n, 6)) + 0.3 * rng.normal(size=(n, 6))
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def test_the_most_typical_confident_quote_comes_first():
    X = rows(4)
    central = centralities(X)
    best = int(np.argmax(central))
    candidates = [Candidate(f"i{k}", "staff", 0.9, 20) for k in range(4)]
    picks = select_quotes(X, candidates, 1)
    assert picks[0].index == best and picks[0].centrality == 1.0


def test_confidence_and_length_count():
    X = np.tile(rows(1), (3, 1))  # equally central
    candidates = [
        Candidate("a", "staff", 0.5, 20),
        Candidate("b", "staff", 0.95, 20),
        Candidate("c", "staff", 0.99, 2),  # too short to stand alone
    ]
    assert select_quotes(X, candidates, 3)[0].index == 1


def test_later_picks_prefer_other_informants_and_roles():
    X = np.tile(rows(1), (4, 1))
    candidates = [
        Candidate("head-1", "head", 0.99, 20),
        Candidate("head-1", "head", 0.98, 20),
        Candidate("head-2", "head", 0.97, 20),
        Candidate("citizen-1", "citizen", 0.80, 20),
    ]
    picks = [p.index for p in select_quotes(X, candidates, 3)]
    assert picks == [0, 3, 2]


def test_divided_evidence_shows_both_sides():
    X = np.tile(rows(1), (4, 1))
    candidates = [
        Candidate("a", "head", 0.99, 20, "positive"),
        Candidate("b", "staff", 0.98, 20, "positive"),
        Candidate("c", "operator", 0.97, 20, "positive"),
        Candidate("d", "citizen", 0.40, 20, "negative"),
    ]
    picks = [p.index for p in select_quotes(X, candidates, 2)]
    assert picks == [0, 3]
    one_sided = [
        p.index for p in select_quotes(X, candidates, 2, QuoteConfig(show_both_sides=False))
    ]
    assert 3 not in one_sided


def test_asking_for_more_than_there_is():
    X = rows(2)
    candidates = [Candidate("a", "staff", 0.9, 20), Candidate("b", "staff", 0.9, 20)]
    assert len(select_quotes(X, candidates, 5)) == 2
    assert select_quotes(X, candidates, 0) == []
    assert select_quotes(X[:0], [], 3) == []
