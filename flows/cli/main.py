"""Entry point of the ``telaah`` console script.

Each command lives in its own module with a ``register(subparsers)`` function that adds its
parser and sets ``handler``; this file only wires them together, so commands stay small and
independent.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from pipeline.errors import TelaahError

COMMAND_MODULES = (
    "flows.cli.ingest_cmd",
    "flows.cli.codebook_cmd",
    "flows.cli.models_cmd",
    "flows.cli.classify_cmd",
    "flows.cli.code_cmd",
    "flows.cli.review_cmd",
    "flows.cli.import_coding_cmd",
    "flows.prefect.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="telaah",
        description="Code Indonesian interview transcripts against performance indicators.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show debug logging")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # command not built yet in this checkout
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except TelaahError as exc:
        print(f"telaah: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
