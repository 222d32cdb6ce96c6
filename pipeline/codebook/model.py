"""A codebook as the rest of Telaah sees it: immutable, already validated, cheap to hash.

Built-in and user codebooks end up as the same objects, so classifiers, reports and the CLI
never need to know where a codebook came from; ``source`` only says so for provenance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from pipeline.errors import CodebookError, Errors


@dataclass(frozen=True)
class Indicator:
    """One indicator of a theory, with the vocabulary a researcher uses to recognise it."""

    id: str
    label: str
    definition: str
    sub_indicators: tuple[str, ...] = ()
    typical_phrases: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """A theory and its indicators.

    Concepts are the bridge to the shared training corpus: a labelled segment carries concept
    ids, and this codebook decides which of its indicators (if any) that evidence supports.
    """

    id: str
    name: str
    theory: str
    citation: str
    description: str
    indicators: tuple[Indicator, ...]
    format_version: int
    source: str
    language: str = "id"

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(indicator.id for indicator in self.indicators)

    @property
    def concepts(self) -> tuple[str, ...]:
        """Every concept the codebook uses, in indicator order (what its training data needs)."""
        return tuple(self.concept_map)

    @cached_property
    def concept_map(self) -> Mapping[str, str]:
        """Concept id to indicator id; parsing guarantees a concept feeds one indicator only."""
        return {
            concept: indicator.id for indicator in self.indicators for concept in indicator.concepts
        }

    def indicator(self, indicator_id: str) -> Indicator:
        """Look an indicator up by id; a typo from the command line gets the list of valid ids."""
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise CodebookError.make(
            Errors.E305,
            codebook=self.id,
            indicator=indicator_id,
            available=", ".join(self.indicator_ids),
        )

    def indicator_for_concepts(self, concepts: Sequence[str]) -> str | None:
        """The indicator a labelled segment is evidence for, or ``None`` to teach abstention.

        Concepts come primary first, so the first one this codebook knows wins: a segment about
        teamwork, then timeliness, is ``kerjasama`` evidence for Kasmir but ``ketepatan_waktu``
        evidence for Mitchell, which has no teamwork indicator.
        """
        mapping = self.concept_map
        for concept in concepts:
            indicator_id = mapping.get(concept)
            if indicator_id is not None:
                return indicator_id
        return None
