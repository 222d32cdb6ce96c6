from __future__ import annotations

import re

from pipeline.themes.categories import DEFAULT_TAXONOMY
from pipeline.themes.taxonomy import Category, KeywordMatcher, Taxonomy


def test_budget_obstacles_map_to_the_budget_category_with_the_matching_words():
    match = KeywordMatcher().match(
        ["Anggarannya terbatas sekali", "dana operasional kurang", "pegawai cuma dua"],
        "obstacle",
        DEFAULT_TAXONOMY,
    )
    assert match is not None
    assert match.category == "anggaran"
    assert match.share == round(2 / 3, 4)
    assert "anggarannya" in match.keywords and match.scope == "internal"


def test_no_category_when_too_few_segments_use_its_words():
    texts = ["anggaran terbatas", "cuaca buruk sekali", "orangnya ramah", "lain-lain"]
    assert KeywordMatcher(min_share=0.5).match(texts, "obstacle", DEFAULT_TAXONOMY) is None


def test_whole_word_matching_with_clitics_and_starred_affixes():
    data = DEFAULT_TAXONOMY.get("obstacle", "data")
    assert data is not None
    assert re.findall(data.pattern, "mereka datang terlambat") == []
    assert re.findall(data.pattern, "datanya salah") == ["datanya"]
    effort = DEFAULT_TAXONOMY.get("effort", "koordinasi")
    assert effort is not None and effort.pattern.search("kami berkoordinasi dengan camat")


def test_a_tie_between_categories_gives_no_category():
    taxonomy = Taxonomy(
        "t",
        "1",
        (
            Category("a", "obstacle", "A", ("alpha",)),
            Category("b", "obstacle", "B", ("beta",)),
        ),
    )
    assert KeywordMatcher().match(["alpha beta"], "obstacle", taxonomy) is None
    assert KeywordMatcher().match(["alpha", "alpha beta"], "obstacle", taxonomy).category == "a"


def test_default_taxonomy_is_consistent():
    ids = [(c.function, c.id) for c in DEFAULT_TAXONOMY.categories]
    assert len(ids) == len(set(ids))
    obstacles = {c.id for c in DEFAULT_TAXONOMY.for_function("obstacle")}
    for effort in DEFAULT_TAXONOMY.for_function("effort"):
        assert effort.answers, effort.id
        assert set(effort.answers) <= obstacles, effort.id
    for category in DEFAULT_TAXONOMY.categories:
        assert all(k == k.lower() and k.strip() == k for k in category.keywords), category.id
    required = {
        "sdm",
        "anggaran",
        "sarana",
        "disiplin",
        "koordinasi",
        "masyarakat",
        "data",
        "teknologi",
        "regulasi",
    }
    assert required <= obstacles
