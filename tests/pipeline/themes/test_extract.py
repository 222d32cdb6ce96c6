from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from pipeline.themes.extract import ThemeConfig, extract_themes
from tests.pipeline.findings.study import build_study


def study_group(function: str):
    study = build_study()
    rows = [i for i, c in enumerate(study.codes) if c.function == function]
    texts = [study.segments[i].normalized for i in rows]
    return study, rows, texts


@pytest.mark.parametrize("function", ["obstacle", "effort"])
def test_known_themes_are_recovered_exactly(function):
    study, rows, texts = study_group(function)
    themes = extract_themes(texts, study.embeddings[rows], function)
    found = {frozenset(t.members) for t in themes}
    truth = defaultdict(set)
    for position, i in enumerate(rows):
        truth[study.themes[i]].add(position)
    assert found == {frozenset(v) for v in truth.values()}
    prefix = "H" if function == "obstacle" else "U"
    assert [t.id for t in themes] == [f"{prefix}0{n}" for n in range(1, len(themes) + 1)]


def test_obstacle_themes_are_named_mapped_and_scoped():
    study, rows, texts = study_group("obstacle")
    scopes = [study.codes[i].scope for i in rows]
    themes = extract_themes(texts, study.embeddings[rows], "obstacle", scopes=scopes)
    categories = {t.category.category for t in themes if t.category}
    assert categories == {"anggaran", "sdm", "teknologi"}
    assert all(t.scope == "internal" for t in themes)
    budget = next(t for t in themes if t.category and t.category.category == "anggaran")
    assert budget.scope_share == pytest.approx(2 / 3, abs=1e-3)  # one citizen said external
    assert budget.label == "Keterbatasan anggaran"
    assert "anggaran" in [k.text for k in budget.keyphrases]
    assert all(0.5 < t.cohesion <= 1.0 for t in themes)


def test_scope_falls_back_to_the_category_and_efforts_have_none():
    study, rows, texts = study_group("obstacle")
    themes = extract_themes(texts, study.embeddings[rows], "obstacle")
    assert all(t.scope == "internal" and t.scope_share is None for t in themes)
    study, rows, texts = study_group("effort")
    assert all(t.scope is None for t in extract_themes(texts, study.embeddings[rows], "effort"))


def test_colliding_category_labels_are_told_apart_by_keyphrases():
    texts = [
        "anggaran kurang sekali",
        "anggaran sudah habis",
        "dana honor telat",
        "dana honor kecil",
    ]
    X = np.array([[1, 0], [1, 0.05], [0, 1], [0.05, 1]], dtype=float)
    themes = extract_themes(texts, X, "obstacle", config=ThemeConfig())
    labels = [t.label for t in themes]
    assert len(set(labels)) == 2
    assert all(label.startswith("Keterbatasan anggaran: ") for label in labels)


def test_empty_and_misaligned_input():
    assert extract_themes([], np.zeros((0, 4)), "effort") == []
    with pytest.raises(ValueError):
        extract_themes(["a", "b"], np.zeros((3, 4)), "effort")


@pytest.mark.parametrize("function", ["obstacle", "effort"])
def test_a_capped_clustering_still_places_every_segment_in_its_theme(function):
    """Above ``max_clustered`` the tree is built on a sample; the rest join the nearest theme.

    The constructed themes are well separated, so the capped clustering must still
    recover them exactly from a sample that leaves two segments out, and the same input
    always gives the same themes.
    """
    study, rows, texts = study_group(function)
    config = ThemeConfig(max_clustered=len(rows) - 2)  # two segments left to assign
    themes = extract_themes(texts, study.embeddings[rows], function, config=config)
    assert sorted(m for t in themes for m in t.members) == list(range(len(rows)))
    truth = defaultdict(set)
    for position, i in enumerate(rows):
        truth[study.themes[i]].add(position)
    assert {frozenset(t.members) for t in themes} == {frozenset(v) for v in truth.values()}
    again = extract_themes(texts, study.embeddings[rows], function, config=config)
    assert [t.members for t in again] == [t.members for t in themes]
