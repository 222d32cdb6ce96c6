from __future__ import annotations

import numpy as np

from pipeline.themes.categories import DEFAULT_TAXONOMY
from pipeline.themes.cluster import l2_normalise
from pipeline.themes.links import LinkConfig, ThemeMembers, link_efforts


def members(theme_id, category, sources, direction, seed):
    rng = np.random.default_rng(seed)
    rows = l2_normalise(
        np.array([direction + 0.05 * rng.normal(size=direction.size) for _ in sources])
    )
    ids = tuple(f"{s}:{theme_id}:{n}" for n, s in enumerate(sources))
    return ThemeMembers(theme_id, category, ids, tuple(sources), rows)


def setup():
    rng = np.random.default_rng(0)
    staff, budget, other = (rng.normal(size=12) for _ in range(3))
    obstacles = [
        members("H01", "sdm", ["s1", "s2", "s3"], staff, 1),
        members("H02", "anggaran", ["s4", "s5"], budget, 2),
    ]
    efforts = [
        members("U01", "penambahan_pegawai", ["s1", "s2"], staff + 0.8 * other, 3),
        members("U02", None, ["s6"], other, 4),
    ]
    return efforts, obstacles


def test_an_effort_links_to_the_obstacle_it_answers_with_evidence():
    efforts, obstacles = setup()
    links = link_efforts(efforts, obstacles, DEFAULT_TAXONOMY)
    assert [(link.effort_theme, link.obstacle_theme) for link in links] == [("U01", "H01")]
    link = links[0]
    assert link.cooccurrence == 1.0 and link.shared_sources == 2 and link.taxonomy_match
    assert {ev.source_id for ev in link.evidence} == {"s1", "s2"}
    assert all(ev.effort_segment.startswith(ev.source_id) for ev in link.evidence)
    assert all(ev.obstacle_segment.startswith(ev.source_id) for ev in link.evidence)


def test_threshold_and_weights_decide_what_counts_as_a_link():
    efforts, obstacles = setup()
    none = link_efforts(efforts, obstacles, DEFAULT_TAXONOMY, LinkConfig(threshold=1.01))
    assert none == []
    meaning_only = LinkConfig(w_meaning=1.0, w_interview=0.0, w_taxonomy=0.0, threshold=0.0)
    everything = link_efforts(efforts, obstacles, DEFAULT_TAXONOMY, meaning_only)
    assert len(everything) == 4
    assert max(link.meaning for link in everything) == 1.0
    assert min(link.meaning for link in everything) == 0.0


def test_no_themes_no_links():
    efforts, obstacles = setup()
    assert link_efforts([], obstacles, DEFAULT_TAXONOMY) == []
    assert link_efforts(efforts, [], DEFAULT_TAXONOMY) == []
