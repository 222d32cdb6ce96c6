"""``telaah flow run|recode`` and ``telaah serve``: the Prefect side of the command line.

Prefect is imported only when one of these commands runs, so the other commands start as
fast as before and work with no Prefect server at all.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from pipeline.ingest import MAX_BYTES

EMBEDDER_HELP = "'package.module:factory' returning an Embedder (default: the built model)"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--codebook", required=True, metavar="ID")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR")
    parser.add_argument("--embedder-ref", default=None, metavar="REF", help=EMBEDDER_HELP)
    parser.add_argument("--files-per-batch", type=int, default=64, metavar="N")
    parser.add_argument("--max-mb", type=float, default=MAX_BYTES / 1e6)
    parser.add_argument("--dask", default=None, metavar="ADDRESS", help="a Dask scheduler")
    parser.add_argument(
        "--dask-workers", type=int, default=0, metavar="N", help="start a local Dask cluster"
    )
    parser.add_argument("--threads", type=int, default=4, metavar="N")


def register(subparsers: argparse._SubParsersAction) -> None:
    flow = subparsers.add_parser(
        "flow",
        help="run the main job or a recode as a Prefect flow (batched, resumable, distributed)",
        description="Runs without a server (Prefect starts a temporary one); set PREFECT_API_URL "
        "(see 'telaah serve') to watch runs in the Prefect UI.",
    )
    actions = flow.add_subparsers(dest="flow_command", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="code PATHs into --out; re-runs skip unchanged work")
    _common(run)
    run.add_argument("--model", default=None, metavar="VERSION")
    run.set_defaults(handler=run_flow)
    recode = actions.add_parser(
        "recode", help="recode with the promoted model into --out/versions/, with a diff"
    )
    _common(recode)
    recode.set_defaults(handler=run_flow)

    serve = subparsers.add_parser(
        "serve",
        help="start a local Prefect server and serve the recode deployment",
        description="Starts a Prefect server on 127.0.0.1 (state in Telaah's data directory) "
        "and serves the recode deployment for PATHs: nightly (--cron) and whenever a model of "
        "--codebook is promoted. With PREFECT_API_URL set, uses that server instead.",
    )
    serve.add_argument("paths", nargs="+", metavar="PATH")
    serve.add_argument("--codebook", required=True, metavar="ID")
    serve.add_argument("--out", required=True, type=Path, metavar="DIR")
    serve.add_argument("--cron", default="0 2 * * *", help="recode schedule (default 02:00)")
    serve.add_argument("--embedder-ref", default=None, metavar="REF", help=EMBEDDER_HELP)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=4200)
    serve.set_defaults(handler=run_serve)


def run_flow(args: argparse.Namespace) -> int:
    from flows.prefect.code_flow import code_flow
    from flows.prefect.recode_flow import recode_flow
    from flows.prefect.runners import task_runner

    runner = task_runner(
        dask_address=args.dask, dask_workers=args.dask_workers, threads=args.threads
    )
    arguments: dict[str, Any] = {
        "paths": [str(p) for p in args.paths],
        "out_dir": str(args.out),
        "codebook_id": args.codebook,
        "embedder_ref": args.embedder_ref,
        "files_per_batch": args.files_per_batch,
        "max_mb": args.max_mb,
    }
    if args.flow_command == "run":
        summary = code_flow.with_options(task_runner=runner)(model_version=args.model, **arguments)
    else:
        summary = recode_flow.with_options(task_runner=runner)(**arguments)
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 1 if summary["skipped"] else 0


def run_serve(args: argparse.Namespace) -> int:
    from flows.prefect.server import start_server

    server = None if os.environ.get("PREFECT_API_URL") else start_server(args.host, args.port)
    try:
        from prefect import serve
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from flows.prefect.deployments import code_deployment, recode_deployment

        api_url = server.api_url if server else os.environ["PREFECT_API_URL"]
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            paths = [str(p) for p in args.paths]
            print(f"Prefect UI: {api_url.removesuffix('/api')}  (Ctrl-C stops serving)")
            serve(
                recode_deployment(
                    paths,
                    str(args.out),
                    args.codebook,
                    cron=args.cron,
                    embedder_ref=args.embedder_ref,
                ),
                code_deployment(
                    paths, str(args.out), args.codebook, embedder_ref=args.embedder_ref
                ),
            )
    finally:
        if server is not None:
            server.stop()
    return 0
