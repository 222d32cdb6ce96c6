"""``telaah classify``, ``telaah train`` and ``telaah eval`` (a contract other tools rely on).

``classify`` reads ``{"id", "text"}`` JSON lines on stdin and writes one prediction per line on
stdout; a bad line is reported on stderr with its number and the rest is still classified.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from flows.classify_run import classify_texts, load_or_train
from flows.eval_run import evaluate_codebook
from flows.train_run import train_codebook
from models.embedding import default_embedder
from models.embedding.sentence import SentenceTransformerEmbedder

EXAMPLE = '{"id": "s1", "text": "Pelayanannya sudah cepat."}'


def _embedder(args: argparse.Namespace) -> Any:
    return (
        SentenceTransformerEmbedder(args.embedder)
        if getattr(args, "embedder", None)
        else default_embedder()
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    classify = subparsers.add_parser("classify", help="classify JSON-lines segments from stdin")
    classify.add_argument("--codebook", required=True, metavar="ID")
    classify.add_argument(
        "--model", default=None, metavar="VERSION", help="default: the promoted version"
    )
    classify.add_argument(
        "--embedder", default=None, help="sentence-transformers model path (default: built-in)"
    )
    classify.add_argument("--batch", type=int, default=256, help="segments encoded per batch")
    classify.set_defaults(handler=run_classify)

    train = subparsers.add_parser("train", help="train a codebook's classifier and register it")
    train.add_argument("--codebook", required=True, metavar="ID")
    train.add_argument("--promote", action="store_true", help="promote the new version at once")
    train.add_argument(
        "--reviewed",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a coded corpus reviewed with 'telaah review': its corrections train too, weighted above the written corpus",
    )
    train.add_argument("--embedder", default=None)
    train.set_defaults(handler=run_train)

    evaluate = subparsers.add_parser("eval", help="cross-validation, held-out split and baselines")
    evaluate.add_argument("--codebook", required=True, metavar="ID")
    evaluate.add_argument("--folds", type=int, default=5)
    evaluate.add_argument("--no-baselines", action="store_true")
    evaluate.add_argument(
        "--out", type=Path, default=Path("out/eval"), help="where metrics and PNGs go"
    )
    evaluate.add_argument("--embedder", default=None)
    evaluate.set_defaults(handler=run_eval)


def _read_lines(stream: Any, err: Any) -> tuple[list[str], list[str], int]:
    ids, texts, bad = [], [], 0
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
            if not isinstance(obj.get("id"), str) or not obj["id"]:
                raise ValueError("'id' must be a non-empty string")
            if not isinstance(obj.get("text"), str) or not obj["text"].strip():
                raise ValueError("'text' must be a non-empty string")
        except (json.JSONDecodeError, ValueError) as exc:
            bad += 1
            detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            print(
                f"telaah classify: input line {number}: {detail}. Expected a JSON object like {EXAMPLE}",
                file=err,
            )
            continue
        ids.append(obj["id"])
        texts.append(obj["text"])
    return ids, texts, bad


def run_classify(args: argparse.Namespace) -> int:
    ids, texts, bad = _read_lines(sys.stdin, sys.stderr)
    embedder = _embedder(args)
    model, entry = load_or_train(args.codebook, embedder, args.model)
    for start in range(0, len(ids), args.batch):
        chunk = slice(start, start + args.batch)
        for code in classify_texts(ids[chunk], texts[chunk], model, embedder):
            code["model_version"] = f"{args.codebook}/{entry.version}"
            code.pop("assessment_scores", None)
            sys.stdout.write(json.dumps(code, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 1 if bad else 0


def _metrics_table(title: str, blocks: dict[str, dict[str, Any]]) -> Table:
    table = Table(title=title)
    for column in (
        "split / model",
        "task",
        "n",
        "accuracy",
        "macro-F1",
        "macro-F1 (named)",
        "kappa",
    ):
        table.add_column(column)
    for name, block in blocks.items():
        for task in ("indicator", "function"):
            m = block[task]
            table.add_row(
                name,
                task,
                str(m["n"]),
                f"{m['accuracy']:.3f}",
                f"{m['macro_f1']:.3f}",
                f"{m['macro_f1_named']:.3f}",
                f"{m['kappa']:.3f}",
            )
    return table


def run_train(args: argparse.Namespace) -> int:
    extra = []
    if args.reviewed:
        from flows.review.learn import reviewed_examples
        from flows.review.storage import ReviewStore
        from models.codebooks import load_codebook

        codebook = load_codebook(args.codebook)
        for corpus in args.reviewed:
            extra += reviewed_examples(ReviewStore(corpus / "review" / "review.sqlite"), codebook)
    outcome = train_codebook(
        args.codebook,
        embedder=_embedder(args),
        extra_examples=extra,
        promote="always" if args.promote else "if-none",
    )
    console = Console()
    console.print(
        f"trained {args.codebook} {outcome.entry.version} in {outcome.seconds:.1f}s -> {outcome.entry.path}"
    )
    if outcome.metrics.get("heldout"):
        console.print(_metrics_table("held-out split", {"telaah": outcome.metrics["heldout"]}))
    console.print(
        f"promoted: {'yes' if outcome.entry.promoted else 'no (telaah models promote to use it)'}"
    )
    return 0


def run_eval(args: argparse.Namespace) -> int:
    result = evaluate_codebook(
        args.codebook,
        embedder=_embedder(args),
        folds=args.folds,
        out_dir=args.out,
        with_baselines=not args.no_baselines,
    )
    console = Console()
    blocks = {"held-out: telaah": result["heldout"]}
    if "cross_validation" in result:
        blocks[f"{args.folds}-fold CV: telaah"] = result["cross_validation"]
    for name, block in result.get("baselines", {}).items():
        blocks[f"held-out: {name}"] = block
    console.print(
        _metrics_table(
            f"{args.codebook}: {result['n_train']} train / {result['n_heldout']} held-out", blocks
        )
    )
    report = result["heldout"]["indicator"]["report"]
    per_class = Table(title="held-out, per indicator")
    for column in ("indicator", "precision", "recall", "F1", "support"):
        per_class.add_column(column)
    for label in result["heldout"]["indicator"]["labels"]:
        r = report[label]
        per_class.add_row(
            label,
            f"{r['precision']:.2f}",
            f"{r['recall']:.2f}",
            f"{r['f1-score']:.2f}",
            str(int(r["support"])),
        )
    console.print(per_class)
    console.print(f"metrics and confusion matrices written to {args.out}")
    return 0
