"""Put a discovered theme under a name researchers already use, when the evidence is clear.

Clusters are found bottom-up, but findings chapters talk in a shared vocabulary ("keterbatasan
SDM", "koordinasi", "sosialisasi"). A theme is mapped onto a category of a taxonomy only when
enough of its own segments use the category's words: the match is lexical and shown with the
words that matched, so a researcher can check it, and it never needs the texts encoded again.
Effort categories name the obstacle categories they typically answer, which links use as one
piece of evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, Protocol

ThemeFunction = Literal["obstacle", "effort", "supporting_factor"]
ScopeHint = Literal["internal", "external"]

_CLITICS = r"(?:-?nya|ku|mu|lah|kah|pun)?"


@dataclass(frozen=True)
class Category:
    """A named kind of obstacle, effort or supporting factor.

    Keywords are lowercase words or phrases matched as whole words (a trailing clitic such as
    ``-nya`` allowed); ``*`` at either end allows affixes (``*koordinasi*`` matches
    "berkoordinasi", "dikoordinasikan").
    """

    id: str
    function: ThemeFunction
    label: str
    keywords: tuple[str, ...]
    scope: ScopeHint | None = None
    answers: tuple[str, ...] = ()

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(_keyword_regex(k) for k in self.keywords))


def _keyword_regex(keyword: str) -> str:
    head = keyword.startswith("*")
    tail = keyword.endswith("*")
    core = r"\s+".join(re.escape(w) for w in keyword.strip("*").split())
    left = r"\b\w*" if head else r"\b"
    right = r"\w*\b" if tail else _CLITICS + r"\b"
    return f"(?:{left}{core}{right})"


@dataclass(frozen=True)
class Taxonomy:
    id: str
    version: str
    categories: tuple[Category, ...]

    def for_function(self, function: str) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.function == function)

    def get(self, function: str, category_id: str) -> Category | None:
        """Ids are unique per function: "anggaran" is both an obstacle and an effort."""
        return next(
            (c for c in self.categories if c.function == function and c.id == category_id), None
        )


@dataclass(frozen=True, slots=True)
class CategoryMatch:
    """Why a theme got its category: the share of its segments using the category's words."""

    category: str
    label: str
    share: float
    keywords: tuple[str, ...]
    scope: ScopeHint | None


class TaxonomyMatcher(Protocol):
    def match(
        self, texts: Sequence[str], function: str, taxonomy: Taxonomy
    ) -> CategoryMatch | None: ...


class KeywordMatcher:
    """Default matcher: the category whose words most segments use, if at least ``min_share``.

    A tie between categories means the theme straddles both; then no category is given rather
    than a coin toss.
    """

    def __init__(self, min_share: float = 0.4) -> None:
        self.min_share = min_share

    def match(
        self, texts: Sequence[str], function: str, taxonomy: Taxonomy
    ) -> CategoryMatch | None:
        if not texts:
            return None
        lowered = [t.lower() for t in texts]
        results = []
        for category in taxonomy.for_function(function):
            hits: Counter[str] = Counter()
            covered = 0
            for text in lowered:
                found = {" ".join(m.group(0).split()) for m in category.pattern.finditer(text)}
                covered += bool(found)
                hits.update(found)
            share = covered / len(lowered)
            results.append((share, sum(hits.values()), category, hits))
        results.sort(key=lambda r: (-r[0], -r[1], r[2].id))
        if not results or results[0][0] < self.min_share:
            return None
        best = results[0]
        if len(results) > 1 and results[1][0] == best[0] and results[1][1] == best[1]:
            return None
        share, _, category, hits = best
        words = tuple(w for w, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
        return CategoryMatch(category.id, category.label, round(share, 4), words, category.scope)
