"""The training corpus's double coding: a blind second coder, and adjudication of disagreements.

Every labelled segment was coded a second time by a coder who saw only the text and the coding
guide (``corpora/train/CONCEPTS.md``). Where the two codings disagree on the primary concept,
the function, an obstacle's scope or the assessment, an adjudicator chose one of them (shown in
random order, unnamed) or wrote a third, and the corpus holds that final label. Keeping both
codings lets anyone recompute the coders' agreement, which is the ceiling a classifier can be
judged against: a model cannot be held to agree with the gold labels more than a second careful
coder does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from models.training.data import LabelledSegment, parse_example, read_jsonl, train_dir
from pipeline.errors import Errors, TelaahError

LABEL_FIELDS = ("concepts", "function", "scope", "assessment")
CHOICES = ("first", "second", "own")


@dataclass(frozen=True, slots=True)
class Coding:
    concepts: tuple[str, ...]
    function: str
    scope: str | None
    assessment: str | None

    @classmethod
    def of(cls, example: LabelledSegment) -> Coding:
        return cls(example.concepts, example.function, example.scope, example.assessment)


@dataclass(frozen=True, slots=True)
class Adjudication:
    id: str
    differ_on: tuple[str, ...]
    first: Coding
    second: Coding
    final: Coding
    choice: str
    reason: str


def disagreements(a: Coding, b: Coding) -> list[str]:
    """Fields on which two codings of one segment differ.

    "secondary" (same primary concept, different further concepts) is reported but is not
    adjudicated: the classifier learns from the primary concept only.
    """
    out = []
    if a.concepts[:1] != b.concepts[:1]:
        out.append("primary")
    elif set(a.concepts) != set(b.concepts):
        out.append("secondary")
    if a.function != b.function:
        out.append("function")
    if a.function == b.function == "obstacle" and a.scope != b.scope:
        out.append("scope")
    if a.concepts and b.concepts and a.assessment != b.assessment:
        out.append("assessment")
    return out


def needs_adjudication(a: Coding, b: Coding) -> bool:
    return any(d != "secondary" for d in disagreements(a, b))


def coding_dir() -> Path:
    return train_dir() / "double_coding"


def _coding(obj: object, where: str) -> Coding:
    if not isinstance(obj, dict):
        raise TelaahError.make(Errors.E502, path=where, detail="a coding must be an object")
    example = parse_example({"text": "-", **obj}, where)
    return Coding.of(example)


def load_second_coding(path: Path | None = None) -> dict[str, Coding]:
    """Segment id -> the blind second coder's labels."""
    path = path or coding_dir() / "second_coder.jsonl"
    return {obj["id"]: _coding(obj, where) for where, obj in read_jsonl(path)}


def load_adjudications(path: Path | None = None) -> dict[str, Adjudication]:
    path = path or coding_dir() / "adjudication.jsonl"
    out: dict[str, Adjudication] = {}
    for where, obj in read_jsonl(path):
        if obj.get("choice") not in CHOICES:
            raise TelaahError.make(
                Errors.E502, path=where, detail=f"'choice' must be one of {CHOICES}"
            )
        out[obj["id"]] = Adjudication(
            id=obj["id"],
            differ_on=tuple(obj.get("differ_on") or ()),
            first=_coding(obj["first"], where),
            second=_coding(obj["second"], where),
            final=_coding(obj["final"], where),
            choice=obj["choice"],
            reason=str(obj.get("reason") or ""),
        )
    return out


def first_coding(
    examples: Iterable[LabelledSegment], adjudications: Mapping[str, Adjudication]
) -> dict[str, Coding]:
    """The original coder's labels: the corpus label, except where adjudication replaced it."""
    return {
        e.id: adjudications[e.id].first if e.id in adjudications else Coding.of(e) for e in examples
    }
