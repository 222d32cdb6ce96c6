"""How the main job's coding of the sample corpus agrees with its reference coding, per turn.

The held-out split measures the classifier on segments written like its training data; the
sample corpus (corpora/sample, written separately, with a reference coding per informant turn in
expected.yaml) is closer to what a researcher brings: whole interviews, segmented by Telaah. A
turn's predicted indicators are the union over its segments; a turn counts as obstacle, effort or
supporting factor when any of its segments does. Scores are micro precision/recall/F1 over
(turn, label) pairs, per file and in total.

    telaah code corpora/sample --codebook mitchell --out out/sample
    .venv/bin/python bench/sample_agreement.py out/sample --codebook mitchell
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._util import print_table
from models.codebooks import load_codebook

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "sample"
FUNCTIONS = {"obstacle_internal": "obstacle", "obstacle_external": "obstacle"}


def reference(codebook_id: str) -> dict[tuple[str, int], tuple[set[str], set[str]]]:
    """(file, 1-based turn) -> (indicators, functions) of the reference coding."""
    codebook = load_codebook(codebook_id)
    expected = yaml.safe_load((SAMPLE / "expected.yaml").read_text(encoding="utf-8"))
    gold = {}
    for name, facts in expected["files"].items():
        for item in facts.get("evidence", []):
            if "turn" not in item:
                continue  # an unlabelled file is coded by paragraph, which has no turn index
            indicators = {codebook.concept_map.get(c) for c in item.get("concepts") or {}} - {None}
            functions = {FUNCTIONS.get(f, f) for f in item.get("functions") or []} - {"other"}
            gold[(name, int(item["turn"]))] = (set(indicators), functions)
    return gold


def predicted(out: Path) -> dict[tuple[str, int], tuple[set[str], set[str]]]:
    segments = pd.read_parquet(out / "tables" / "segments.parquet")
    codes = pd.read_parquet(out / "tables" / "codes.parquet")
    rows = segments.merge(codes, left_on="id", right_on="segment_id")
    pred: dict[tuple[str, int], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for row in rows.itertuples():
        key = (str(row.source_name), int(row.turn_index) + 1)  # turn_index counts from 0
        indicators, functions = pred[key]
        if isinstance(row.indicator, str):
            indicators.add(row.indicator)
        if row.function in {"obstacle", "effort", "supporting_factor"}:
            functions.add(str(row.function))
    return pred


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output folder of `telaah code corpora/sample`")
    parser.add_argument("--codebook", default="mitchell")
    args = parser.parse_args()
    gold, pred = reference(args.codebook), predicted(args.out)
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    files = {name for name, _ in gold}
    for key in (set(gold) | set(pred)) - {k for k in pred if k[0] not in files}:
        g_ind, g_fun = gold.get(key, (set(), set()))
        p_ind, p_fun = pred.get(key, (set(), set()))
        for name in (key[0], "total"):
            c = counts[name]
            c[0] += len(g_ind & p_ind)
            c[1] += len(p_ind - g_ind)
            c[2] += len(g_ind - p_ind)
            c[3] += len(g_fun & p_fun)
            c[4] += len(p_fun - g_fun)
            c[5] += len(g_fun - p_fun)
    rows = []
    for name in [*sorted(n for n in counts if n != "total"), "total"]:
        c = counts[name]
        rows.append([name, *_prf(*c[:3]), *_prf(*c[3:])])
    print(f"codebook {args.codebook}; reference: {SAMPLE / 'expected.yaml'}")
    headers = ["file", "indicator P", "indicator R", "indicator F1", "function P"]
    print_table([*headers, "function R", "function F1"], rows)


if __name__ == "__main__":
    main()
