"""The corpus's double coding is complete and its labels are the adjudicated ones.

The agreement numbers the README reports are recomputed from these files, so a contributor who
adds segments without a second coding, or edits a label the adjudication decided, is told here.
"""

from __future__ import annotations

import pytest

from models.training.data import LabelledSegment, load_examples
from models.training.double_coding import (
    Adjudication,
    Coding,
    disagreements,
    first_coding,
    load_adjudications,
    load_second_coding,
    needs_adjudication,
)


def coding(
    *concepts: str,
    function: str = "indicator",
    scope: str | None = None,
    assessment: str = "negative",
) -> Coding:
    return Coding(tuple(concepts), function, scope, assessment if concepts else None)


@pytest.fixture(scope="module")
def examples() -> list[LabelledSegment]:
    return load_examples()


@pytest.fixture(scope="module")
def second() -> dict[str, Coding]:
    return load_second_coding()


@pytest.fixture(scope="module")
def adjudications() -> dict[str, Adjudication]:
    return load_adjudications()


def test_secondary_concepts_alone_are_reported_but_not_adjudicated() -> None:
    a, b = coding("timeliness"), coding("timeliness", "work_quality")
    assert disagreements(a, b) == ["secondary"]
    assert not needs_adjudication(a, b)
    assert disagreements(coding("timeliness"), coding("work_quality")) == ["primary"]


def test_scope_counts_only_between_two_obstacles_and_assessment_only_with_concepts() -> None:
    inside = coding("competence", function="obstacle", scope="internal")
    outside = coding("competence", function="obstacle", scope="external")
    assert disagreements(inside, outside) == ["scope"]
    effort = coding("competence", function="effort", assessment="neutral")
    assert disagreements(inside, effort) == ["function", "assessment"]
    assert disagreements(coding(function="other"), coding(function="obstacle")) == ["function"]


def test_every_segment_has_a_blind_second_coding(
    examples: list[LabelledSegment], second: dict[str, Coding]
) -> None:
    assert sorted(e.id for e in examples if e.id not in second) == []
    assert set(second) <= {e.id for e in examples}


def test_every_disagreement_is_adjudicated_and_the_corpus_holds_the_decision(
    examples: list[LabelledSegment],
    second: dict[str, Coding],
    adjudications: dict[str, Adjudication],
) -> None:
    first = first_coding(examples, adjudications)
    unresolved, not_applied, stale = [], [], []
    for e in examples:
        if needs_adjudication(first[e.id], second[e.id]) and e.id not in adjudications:
            unresolved.append(e.id)
        decision = adjudications.get(e.id)
        if decision is None:
            continue
        if decision.final != Coding.of(e):
            not_applied.append(e.id)
        recorded = (decision.first, decision.second)
        if decision.second != second[e.id] or not needs_adjudication(*recorded):
            stale.append(e.id)
    assert (unresolved, not_applied, stale) == ([], [], [])


def test_a_choice_names_the_side_whose_labels_were_kept(
    adjudications: dict[str, Adjudication],
) -> None:
    wrong = [
        a.id
        for a in adjudications.values()
        if (a.choice == "first") != (a.final == a.first)
        or (a.choice == "second") != (a.final == a.second)
        or (a.choice == "own") != (a.final not in (a.first, a.second))
    ]
    assert wrong == []
