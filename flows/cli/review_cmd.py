"""``telaah review`` (the review app), ``review-export``, ``agreement`` and ``review-train``.

The app prints its URL with a per-launch token; two coders review the same corpus by starting
the app twice with different ``--coder`` names on the same database (SQLite in WAL mode lets
both write).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
from pathlib import Path

from rich.console import Console
from rich.table import Table

from flows.io.atomic import write_text


def _db(args: argparse.Namespace) -> Path:
    return args.db or Path(args.dir) / "review" / "review.sqlite"


def _embedder(name: str | None) -> object:
    from models.embedding import default_embedder
    from models.embedding.sentence import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(name) if name else default_embedder()


def register(subparsers: argparse._SubParsersAction) -> None:
    review = subparsers.add_parser(
        "review",
        help="review machine suggestions in a local web app (127.0.0.1, token in the URL)",
        description="Open the output folder of 'telaah code' in the review app. Decisions go "
        "to DIR/review/review.sqlite (or --db) as they are made.",
    )
    review.add_argument("dir", metavar="DIR", type=Path)
    review.add_argument("--coder", default=os.environ.get("TELAAH_CODER") or getpass.getuser())
    review.add_argument("--db", type=Path, default=None)
    review.add_argument("--port", type=int, default=8765)
    review.add_argument(
        "--embedder", default=None, help="embedder for retraining (default: built-in)"
    )
    review.add_argument("--max-upload-mb", type=float, default=20.0)
    review.set_defaults(handler=run_review)

    export = subparsers.add_parser(
        "review-export", help="write every review decision (history included) as JSON lines"
    )
    export.add_argument("dir", metavar="DIR", type=Path)
    export.add_argument("--db", type=Path, default=None)
    export.add_argument("--out", type=Path, required=True, metavar="FILE.jsonl")
    export.set_defaults(handler=run_export)

    agreement = subparsers.add_parser(
        "agreement", help="Cohen's kappa between coders and with the model, per indicator"
    )
    agreement.add_argument("dir", metavar="DIR", type=Path)
    agreement.add_argument("--db", type=Path, default=None)
    agreement.add_argument("--json", action="store_true")
    agreement.set_defaults(handler=run_agreement)

    train = subparsers.add_parser(
        "review-train",
        help="retrain the corpus' codebook on the written corpus plus reviewed segments",
    )
    train.add_argument("dir", metavar="DIR", type=Path)
    train.add_argument("--db", type=Path, default=None)
    train.add_argument("--no-promote", action="store_true", help="register without promoting")
    train.add_argument("--embedder", default=None)
    train.add_argument(
        "--extra", type=Path, action="append", default=[], metavar="FILE.jsonl",
        help="more training segments, e.g. from 'telaah import-coding' (repeatable)",
    )  # fmt: skip
    train.set_defaults(handler=run_review_train)


def run_review(args: argparse.Namespace) -> int:
    from flows.review.app import ReviewServer, open_app
    from flows.review.learn import retrain

    app = open_app(args.dir, args.coder, _db(args))
    codebook = app.store.get_meta("codebook") or ""
    app.retrain_job = lambda: retrain(app.store, codebook, _embedder(args.embedder))  # type: ignore[arg-type]
    server = ReviewServer(app, port=args.port, max_body=int(args.max_upload_mb * 1e6))
    print(f"Telaah review for coder {args.coder!r}: {server.url}", flush=True)
    print("Stop with Ctrl+C; every decision is already saved.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        app.store.close()
    return 0


def run_export(args: argparse.Namespace) -> int:
    from flows.review.storage import ReviewStore

    store = ReviewStore(_db(args))
    history = store.history()
    write_text(args.out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in history))
    Console(stderr=True).print(f"{len(history)} review events -> {args.out}")
    return 0


def run_agreement(args: argparse.Namespace) -> int:
    from flows.review.app import agreement_report, codebook_indicators
    from flows.review.storage import ReviewStore

    store = ReviewStore(_db(args))
    report = agreement_report(store, codebook_indicators(store))
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    table = Table(title="Cohen's kappa (segments both reviewed)")
    table.add_column("raters")
    table.add_column("n", justify="right")
    table.add_column("kappa", justify="right")
    indicators = codebook_indicators(store)
    for indicator in indicators:
        table.add_column(indicator, justify="right")

    def fmt(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}"

    for row in [*report["pairs"], *report["model"]]:
        table.add_row(
            f"{row['a']} / {row['b']}",
            str(row["n"]),
            fmt(row["kappa"]),
            *(fmt(row["per_indicator"][i]) for i in indicators),
        )
    Console().print(table)
    return 0


def run_review_train(args: argparse.Namespace) -> int:
    from flows.review.learn import retrain
    from flows.review.storage import ReviewStore
    from models.training.data import load_examples

    store = ReviewStore(_db(args))
    codebook = store.get_meta("codebook") or ""
    extra = load_examples(args.extra) if args.extra else []
    result = retrain(
        store,
        codebook,
        _embedder(args.embedder),
        promote=not args.no_promote,
        extra=extra,  # type: ignore[arg-type]
    )
    Console().print(
        f"trained {result['version']} with {result['n_reviewed']} reviewed segments; "
        f"promoted: {'yes' if result['promoted'] else 'no'}"
    )
    return 0
