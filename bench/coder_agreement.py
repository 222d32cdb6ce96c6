"""How far apart are two independent coders of the training corpus? The classifier's ceiling.

Scores the blind second coding (``corpora/train/double_coding/``) against the first coding and
both against the adjudicated labels, per built-in codebook, with the same metrics and codebook
mapping as ``telaah eval`` (indicator and function macro-F1; Cohen's kappa for the raw concept
and function). With ``--eval-dir`` (the ``--out`` of ``telaah eval``) the classifier's held-out
scores are printed next to the coders'.

    .venv/bin/python bench/coder_agreement.py [--split heldout|all] [--eval-dir DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sklearn.metrics import cohen_kappa_score

from bench._util import print_table
from models.classify.coder import codebook_labels
from models.classify.evaluate import classification_metrics
from models.classify.indicator import NONE
from models.codebooks import BUILTIN_CODEBOOKS, load_codebook
from models.training.data import FUNCTIONS, LabelledSegment, load_examples
from models.training.double_coding import (
    LABEL_FIELDS,
    Coding,
    disagreements,
    first_coding,
    load_adjudications,
    load_second_coding,
)


def _as_examples(
    examples: list[LabelledSegment], codings: dict[str, Coding]
) -> list[LabelledSegment]:
    return [
        dataclasses.replace(e, **{f: getattr(codings[e.id], f) for f in LABEL_FIELDS})
        for e in examples
    ]


def _scores(codebook_id: str, a: list[LabelledSegment], b: list[LabelledSegment]) -> list[float]:
    book = load_codebook(codebook_id)
    a_ind, a_fun = codebook_labels(a, book)
    b_ind, b_fun = codebook_labels(b, book)
    labels = [*book.indicator_ids, NONE]
    return [
        classification_metrics(a_ind, b_ind, labels)["macro_f1"],
        classification_metrics(a_fun, b_fun, FUNCTIONS)["macro_f1"],
    ]


def _raw(a: list[LabelledSegment], b: list[LabelledSegment]) -> list[float]:
    def concept(e: LabelledSegment) -> str:
        return e.concepts[0] if e.concepts else NONE

    return [
        cohen_kappa_score([concept(e) for e in a], [concept(e) for e in b]),
        cohen_kappa_score([e.function for e in a], [e.function for e in b]),
    ]


def _f3(value: float) -> str:
    return f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("heldout", "all"), default="heldout")
    parser.add_argument("--eval-dir", type=Path, help="telaah eval --out directory")
    args = parser.parse_args()
    examples = load_examples()
    if args.split == "heldout":
        examples = [e for e in examples if e.heldout]
    second = load_second_coding()
    adjudications = load_adjudications()
    coders = {
        "first": _as_examples(examples, first_coding(examples, adjudications)),
        "second": _as_examples(examples, second),
        "final": examples,
    }
    pairs = [("first", "second"), ("first", "final"), ("second", "final")]
    kinds = Counter(
        d
        for first, e in zip(coders["first"], examples, strict=True)
        for d in disagreements(Coding.of(first), second[e.id])
    )
    adjudicated = [a for a in adjudications.values() if a.id in {e.id for e in examples}]
    choices = Counter(a.choice for a in adjudicated)
    print(
        f"{len(examples):,} segments ({args.split}); first and second coder differ on: "
        + ", ".join(f"{k} {v}" for k, v in kinds.most_common())
        + f"; adjudicated {len(adjudicated):,} (kept first {choices['first']}, "
        f"second {choices['second']}, own {choices['own']})"
    )
    print_table(
        ["pair", "concept kappa", "function kappa"],
        [[f"{a} vs {b}", *map(_f3, _raw(coders[a], coders[b]))] for a, b in pairs],
    )
    headers = ["codebook"]
    for a, b in pairs:
        headers += [f"{a}~{b} ind F1", f"{a}~{b} fn F1"]
    if args.eval_dir:
        headers += ["model ind F1", "model fn F1"]
    rows = []
    for codebook_id in BUILTIN_CODEBOOKS:
        row: list[object] = [codebook_id]
        for a, b in pairs:
            row += map(_f3, _scores(codebook_id, coders[a], coders[b]))
        if args.eval_dir:
            held = json.loads((args.eval_dir / f"eval_{codebook_id}.json").read_text())["heldout"]
            row += [_f3(held["indicator"]["macro_f1"]), _f3(held["function"]["macro_f1"])]
        rows.append(row)
    print_table(headers, rows)


if __name__ == "__main__":
    main()
