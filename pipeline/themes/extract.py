"""One function's segments (say, all obstacles) to labelled themes.

Encode once: the caller passes the embeddings it already computed for classification, aligned
with the texts; nothing here loads or runs a model. The stage only groups, names and
characterises; quotes and links are chosen later, when every theme is known.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from pipeline.records import Scope
from pipeline.themes.categories import DEFAULT_TAXONOMY
from pipeline.themes.cluster import (
    AutoKClustering,
    ThemeClusterer,
    canonical_labels,
    centroid,
    l2_normalise,
)
from pipeline.themes.keyphrases import Keyphrase, class_tfidf
from pipeline.themes.taxonomy import CategoryMatch, KeywordMatcher, Taxonomy, TaxonomyMatcher

ID_PREFIX = {"obstacle": "H", "effort": "U", "supporting_factor": "P"}


@dataclass(frozen=True)
class ThemeConfig:
    """Swappable parts of theme extraction, with the defaults the report describes."""

    clusterer: Callable[[], ThemeClusterer] = AutoKClustering
    taxonomy: Taxonomy = DEFAULT_TAXONOMY
    matcher: TaxonomyMatcher = field(default_factory=KeywordMatcher)
    top_keyphrases: int = 5
    scope_majority: float = 0.6
    # Ward clustering holds an n x n distance matrix (3,000 segments: 36 MB, 30,000: 3.6 GB):
    # above this many segments the tree is built on an evenly spread sample of this size and
    # the other segments join the theme whose centre is nearest (see _cluster)
    max_clustered: int = 3000


@dataclass(frozen=True)
class ExtractedTheme:
    """A theme before quotes: ``members`` index into the texts passed to :func:`extract_themes`."""

    id: str
    function: str
    label: str
    members: tuple[int, ...]
    keyphrases: tuple[Keyphrase, ...]
    category: CategoryMatch | None
    scope: Scope | None
    scope_share: float | None
    cohesion: float


def extract_themes(
    texts: Sequence[str],
    embeddings: np.ndarray,
    function: str,
    *,
    scopes: Sequence[Scope | None] | None = None,
    match_texts: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    exclude: frozenset[str] = frozenset(),
    config: ThemeConfig | None = None,
) -> list[ExtractedTheme]:
    """Cluster, name, map onto the taxonomy and (for obstacles) decide internal/external.

    ``texts`` name the themes (the normalised text); ``match_texts`` (default: ``texts``) are
    matched against the taxonomy, so a caller can pass original and normalised text together
    and keywords match whichever form the informant used ("error" or "galat").
    ``groups`` (the interview of each text) keep one interview's proper names out of labels;
    ``exclude`` (lowercase words, e.g. people's names) never appear in them.
    ``scopes`` are the classifier's per-segment scopes; a theme takes the majority when it
    reaches ``scope_majority``, else its category's usual scope, else none.
    """
    config = config or ThemeConfig()
    if len(texts) == 0:
        return []
    X = np.asarray(embeddings, dtype=np.float64)
    if X.shape[0] != len(texts):
        raise ValueError(f"{len(texts)} texts but {X.shape[0]} embedding rows")
    unit = l2_normalise(X)
    labels = _cluster(unit, config)
    phrases = class_tfidf(
        texts, labels.tolist(), groups=groups, exclude=exclude, top_n=config.top_keyphrases
    )
    prefix = ID_PREFIX.get(function, "T")
    themes = []
    for number, label in enumerate(sorted(set(labels.tolist()))):
        members = tuple(int(i) for i in np.flatnonzero(labels == label))
        member_texts = [(match_texts or texts)[i] for i in members]
        match = config.matcher.match(member_texts, function, config.taxonomy)
        scope, share = _scope(
            [scopes[i] for i in members] if scopes is not None else [], match, config
        )
        rows = unit[list(members)]
        themes.append(
            ExtractedTheme(
                id=f"{prefix}{number + 1:02d}",
                function=function,
                label="",
                members=members,
                keyphrases=tuple(phrases.get(label, [])),
                category=match,
                scope=scope if function == "obstacle" else None,
                scope_share=share if function == "obstacle" else None,
                cohesion=round(float((rows @ centroid(rows)).mean()), 4),
            )
        )
    return _with_labels(themes)


def _cluster(unit: np.ndarray, config: ThemeConfig) -> np.ndarray:
    """Cluster labels, on an evenly spread sample when there are more than ``max_clustered``.

    The sample is deterministic (every (n / max)-th segment in corpus order), so the same
    corpus gives the same themes; the rest are assigned in the space the clusterer works in
    (centred on the sample's mean, unit length) to the nearest sample cluster's centre.
    """
    n = unit.shape[0]
    if n <= 1:
        return np.zeros(n, dtype=np.int64)
    if n <= config.max_clustered:
        return np.asarray(config.clusterer().fit_predict(unit), dtype=np.int64)
    sample = np.unique(np.linspace(0, n - 1, config.max_clustered).round().astype(np.int64))
    sample_labels = np.asarray(config.clusterer().fit_predict(unit[sample]), dtype=np.int64)
    space = l2_normalise(unit - unit[sample].mean(axis=0))
    centres = l2_normalise(
        np.vstack(
            [space[sample[sample_labels == k]].mean(axis=0) for k in np.unique(sample_labels)]
        )
    )
    labels = np.unique(sample_labels)[np.argmax(space @ centres.T, axis=1)]
    labels[sample] = sample_labels
    return canonical_labels(labels)


def _scope(
    scopes: Sequence[Scope | None], match: CategoryMatch | None, config: ThemeConfig
) -> tuple[Scope | None, float | None]:
    known = [s for s in scopes if s is not None]
    if known:
        share = sum(s == "internal" for s in known) / len(known)
        if share >= config.scope_majority:
            return "internal", round(share, 4)
        if 1.0 - share >= config.scope_majority:
            return "external", round(share, 4)
        return None, round(share, 4)
    return (match.scope if match else None), None


def _with_labels(themes: list[ExtractedTheme]) -> list[ExtractedTheme]:
    """Category label when mapped, else the top keyphrases; collisions get keyphrases added."""
    base = []
    for theme in themes:
        words = [k.text for k in theme.keyphrases[:3]]
        if theme.category is not None:
            base.append(theme.category.label)
        elif words:
            base.append(", ".join(words)[:1].upper() + ", ".join(words)[1:])
        else:
            base.append(f"Tema {theme.id}")
    counts = Counter(base)
    out = []
    for theme, label in zip(themes, base, strict=True):
        if counts[label] > 1 and theme.category is not None and theme.keyphrases:
            label = f"{label}: {', '.join(k.text for k in theme.keyphrases[:2])}"
        out.append(replace(theme, label=label))
    return out
