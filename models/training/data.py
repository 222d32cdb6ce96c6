"""Labelled segments from ``corpora/train/*.jsonl`` (format in ``corpora/train/CONCEPTS.md``).

Segments are labelled with shared *concepts*, not with one codebook's indicators, so one corpus
trains every codebook. The held-out split is decided per example from a hash of its id: it never
moves when examples are added, and training never sees it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import Errors, TelaahError

FUNCTIONS = ("indicator", "obstacle", "effort", "supporting_factor", "other")
SCOPES = ("internal", "external")
ASSESSMENTS = ("positive", "negative", "mixed", "neutral")
HELDOUT_SHARE = 5  # one example in five is held out


@dataclass(frozen=True, slots=True)
class LabelledSegment:
    id: str
    text: str
    concepts: tuple[str, ...]
    function: str
    scope: str | None
    assessment: str | None
    role: str | None = None
    register: str | None = None
    weight: float = 1.0  # reviewed corrections weigh more than written examples

    @property
    def heldout(self) -> bool:
        return int(hashlib.sha1(self.id.encode()).hexdigest(), 16) % HELDOUT_SHARE == 0


def train_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "corpora" / "train"


def parse_example(obj: dict[str, object], where: str) -> LabelledSegment:
    """Validate one labelled example; ``where`` names file and line for the error."""

    def bad(detail: str) -> TelaahError:
        return TelaahError.make(Errors.E502, path=where, detail=detail)

    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad("missing 'text'")
    concepts = obj.get("concepts") or []
    if not isinstance(concepts, list) or not all(isinstance(c, str) for c in concepts):
        raise bad("'concepts' must be a list of concept ids")
    function = obj.get("function")
    if function not in FUNCTIONS:
        raise bad(f"'function' is {function!r}, expected one of {FUNCTIONS}")
    scope = obj.get("scope")
    if scope is not None and scope not in SCOPES:
        raise bad(f"'scope' is {scope!r}, expected one of {SCOPES} or null")
    assessment = obj.get("assessment")
    if assessment is not None and assessment not in ASSESSMENTS:
        raise bad(f"'assessment' is {assessment!r}, expected one of {ASSESSMENTS} or null")
    return LabelledSegment(
        id=str(obj.get("id") or hashlib.sha1(text.encode()).hexdigest()[:12]),
        text=text.strip(),
        concepts=tuple(concepts),
        function=str(function),
        scope=scope if isinstance(scope, str) else None,
        assessment=assessment if isinstance(assessment, str) else None,
        role=obj.get("role") if isinstance(obj.get("role"), str) else None,  # type: ignore[arg-type]
        register=obj.get("register") if isinstance(obj.get("register"), str) else None,  # type: ignore[arg-type]
        weight=float(obj.get("weight", 1.0)),  # type: ignore[arg-type]
    )


def read_jsonl(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(``file:line``, object) per non-blank line; E502 names the line that is not JSON."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            raise TelaahError.make(
                Errors.E502, path=where, detail=f"invalid JSON: {exc.msg}"
            ) from exc


def load_examples(paths: Iterable[Path] | None = None) -> list[LabelledSegment]:
    """Every labelled example, in a stable order (file name, then line)."""
    files = sorted(paths) if paths is not None else sorted(train_dir().glob("*.jsonl"))
    examples: list[LabelledSegment] = []
    seen: set[str] = set()
    for file in files:
        for where, obj in read_jsonl(file):
            example = parse_example(obj, where)
            if example.id in seen:
                raise TelaahError.make(
                    Errors.E502, path=where, detail=f"duplicate id {example.id!r}"
                )
            seen.add(example.id)
            examples.append(example)
    return examples


def split(
    examples: Sequence[LabelledSegment],
) -> tuple[list[LabelledSegment], list[LabelledSegment]]:
    """(train, held-out)."""
    train = [e for e in examples if not e.heldout]
    heldout = [e for e in examples if e.heldout]
    return train, heldout


def data_hash(examples: Sequence[LabelledSegment]) -> str:
    """Fingerprint of the training data: changes when any text or label changes."""
    digest = hashlib.sha256()
    for e in examples:
        record = [e.id, e.text, list(e.concepts), e.function, e.scope, e.assessment, e.weight]
        digest.update(json.dumps(record, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]
