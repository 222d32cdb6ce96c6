"""``telaah import-coding FILE.qdpx``: learn from coding done in NVivo, ATLAS.ti, MAXQDA, QualCoder.

Writes training segments (JSON lines, the ``corpora/train`` format with a weight) and reports
codes that matched nothing; retrain with ``telaah review-train DIR --extra FILE.jsonl``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console


def register(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser(
        "import-coding",
        help="turn a REFI-QDA project coded in another tool into training segments",
        description="Codes are matched to the codebook's indicators, functions and assessments "
        "by name; --mapping gives 'code name<TAB>target' lines for the rest (target: an "
        "indicator id, function:obstacle[:internal|external], assessment:negative, or - to ignore).",
    )
    cmd.add_argument("file", type=Path, metavar="FILE.qdpx")
    cmd.add_argument("--codebook", required=True, metavar="ID")
    cmd.add_argument("--mapping", type=Path, default=None, metavar="FILE")
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE.jsonl")
    cmd.add_argument(
        "--only-human",
        action="store_true",
        help="skip selections only the Telaah machine user coded",
    )
    cmd.add_argument(
        "--weight", type=float, default=3.0, help="weight relative to a written example (default 3)"
    )
    cmd.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    from flows.review.import_coding import import_qdpx, read_mapping, write_examples
    from models.codebooks import load_codebook

    codebook = load_codebook(args.codebook)
    result = import_qdpx(
        args.file,
        codebook,
        read_mapping(args.mapping),
        only_human=args.only_human,
        weight=args.weight,
    )
    write_examples(result.examples, args.out)
    console = Console(stderr=True)
    console.print(
        f"{len(result.examples)} training segments from {result.n_selections} coded selections -> {args.out}"
    )
    if result.skipped_machine:
        console.print(f"{result.skipped_machine} selections coded only by the machine were skipped")
    if result.unmatched:
        console.print("codes not matched to the codebook (add them to --mapping):")
        for code, count in result.unmatched.most_common():
            console.print(f"  {code!r}: {count} selections")
        return 1
    return 0
