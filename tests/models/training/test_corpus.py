"""The training corpus keeps the promises the classifier issue makes about it.

These run on the shipped corpus (no model), so a contributor who adds or edits examples learns
at once when a count drops below what the README claims or a label breaks the format rules.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from models.codebooks import builtin_codebooks
from models.training.data import LabelledSegment, load_examples, parse_example, split, train_dir
from pipeline.errors import TelaahError


@pytest.fixture(scope="module")
def examples() -> list[LabelledSegment]:
    return load_examples()


def test_every_builtin_indicator_has_at_least_60_segments(examples: list[LabelledSegment]) -> None:
    short = []
    for codebook in builtin_codebooks():
        counts = Counter(codebook.indicator_for_concepts(e.concepts) for e in examples)
        short += [(codebook.id, i, counts[i]) for i in codebook.indicator_ids if counts[i] < 60]
    assert short == []


def test_every_function_has_at_least_200_segments(examples: list[LabelledSegment]) -> None:
    counts = Counter(e.function for e in examples)
    assert {f: n for f, n in counts.items() if n < 200} == {}, counts


def test_obstacles_carry_scope_and_evidence_carries_assessment(
    examples: list[LabelledSegment],
) -> None:
    assert [e.id for e in examples if e.function == "obstacle" and e.scope is None] == []
    assert [e.id for e in examples if e.function != "obstacle" and e.scope is not None] == []
    assert [e.id for e in examples if e.concepts and e.assessment is None] == []
    scopes = Counter(e.scope for e in examples if e.function == "obstacle")
    assert min(scopes.values()) >= 100, scopes


def test_corpus_covers_registers_roles_and_mixed_answers(examples: list[LabelledSegment]) -> None:
    assert Counter(e.register for e in examples)["colloquial"] >= len(examples) // 4
    assert {e.role for e in examples} >= {"head", "staff", "operator", "citizen", "facilitator"}
    assert sum(len(e.concepts) > 1 for e in examples) >= 200  # answers mixing two indicators
    assert sum(len(e.text.split()) >= 80 for e in examples) >= 150  # long, rambling answers


def test_heldout_split_is_disjoint_stable_and_about_a_fifth(
    examples: list[LabelledSegment],
) -> None:
    train, heldout = split(examples)
    assert not {e.id for e in train} & {e.id for e in heldout}
    assert not {e.text for e in train} & {e.text for e in heldout}
    assert 0.15 < len(heldout) / len(examples) < 0.25
    # Membership depends on the id alone: adding examples never moves an old one across.
    again = split([*examples[::-1], *examples[:0]])[1]
    assert {e.id for e in again} == {e.id for e in heldout}


def test_no_text_is_duplicated(examples: list[LabelledSegment]) -> None:
    texts = Counter(" ".join(e.text.lower().split()) for e in examples)
    assert [t[:60] for t, n in texts.items() if n > 1] == []


def test_concept_ids_are_the_shared_ones(examples: list[LabelledSegment]) -> None:
    known = {c for codebook in builtin_codebooks() for c in codebook.concepts}
    assert sorted({c for e in examples for c in e.concepts} - known) == []


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ({"text": "", "function": "other"}, "missing 'text'"),
        ({"text": "x", "function": "hambatan"}, "'function' is 'hambatan'"),
        ({"text": "x", "function": "obstacle", "scope": "inside"}, "'scope' is 'inside'"),
        ({"text": "x", "function": "other", "concepts": "timeliness"}, "'concepts' must be"),
    ],
)
def test_a_bad_example_names_file_line_and_problem(line: dict[str, object], needle: str) -> None:
    with pytest.raises(TelaahError) as info:
        parse_example(line, "t9_mine.jsonl:12")
    assert "t9_mine.jsonl:12" in str(info.value) and needle in str(info.value)


def test_duplicate_ids_across_files_are_refused(tmp_path: Path) -> None:
    first = next(iter(sorted(train_dir().glob("*.jsonl"))))
    line = first.read_text(encoding="utf-8").splitlines()[0]
    copy = tmp_path / "zz_copy.jsonl"
    copy.write_text(json.dumps(json.loads(line)) + "\n", encoding="utf-8")
    with pytest.raises(TelaahError, match="duplicate id"):
        load_examples([first, copy])
