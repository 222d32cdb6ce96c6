"""``telaah code``: the main job, from interview files to findings, report and REFI-QDA."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from flows.code_run import run_code_job
from pipeline.ingest import MAX_BYTES
from pipeline.refiqda.project import ExportOptions
from pipeline.report.people import ReportOptions


def register(subparsers: argparse._SubParsersAction) -> None:
    code = subparsers.add_parser(
        "code",
        help="the main job: ingest, segment, embed, classify, themes, findings, report, REFI-QDA",
        description="Code interview files against a codebook and write findings.json, tables/, "
        "report.md, report.html, project.qdpx and codebook.qdc to --out. Exit status 1 when a "
        "file was skipped (the summary says which and why).",
    )
    code.add_argument("paths", nargs="+", metavar="PATH")
    code.add_argument("--codebook", required=True, metavar="ID", help="built-in id or a YAML file")
    code.add_argument("--out", required=True, type=Path, metavar="DIR")
    code.add_argument(
        "--model", default=None, metavar="VERSION", help="default: the promoted version"
    )
    code.add_argument(
        "--speakers",
        choices=("roles", "pseudonyms", "names"),
        default="roles",
        help="how informants appear in the report (default: roles only)",
    )
    code.add_argument(
        "--names-in-quotes",
        action="store_true",
        help="keep person names inside quotes (default: pseudonymised)",
    )
    code.add_argument("--jsonl", action="store_true", help="write tables as JSON lines")
    code.add_argument("--max-mb", type=float, default=MAX_BYTES / 1e6)
    code.set_defaults(handler=run_code)


def run_code(args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    summary = run_code_job(
        args.paths,
        args.out,
        codebook_id=args.codebook,
        model_version=args.model,
        report_options=ReportOptions(
            speakers=args.speakers, pseudonymise_quotes=not args.names_in_quotes
        ),
        export_options=ExportOptions(
            case_names="names" if args.speakers == "names" else "pseudonyms"
        ),
        table_format="jsonl" if args.jsonl else "parquet",
        max_bytes=int(args.max_mb * 1e6),
    )
    timings = Table(title="stages")
    timings.add_column("stage")
    timings.add_column("seconds", justify="right")
    for stage, seconds in summary.timings.items():
        timings.add_row(stage, f"{seconds:.1f}")
    timings.add_row("total", f"{sum(summary.timings.values()):.1f}")
    console.print(timings)
    report = summary.ingest
    console.print(
        f"{len(report.sources)} sources, {summary.n_segments} segments coded with {summary.model_version}; "
        + ", ".join(f"{n} {f}" for f, n in sorted(summary.functions.items()))
    )
    console.print(f"{summary.n_themes} themes, {summary.n_links} effort-obstacle links")
    judgements = Table(title="judgement per indicator")
    judgements.add_column("indicator")
    judgements.add_column("judgement")
    for indicator, label in summary.judgements.items():
        judgements.add_row(indicator, label)
    console.print(judgements)
    for item in report.skipped:
        console.print(f"[yellow]skipped[/] {item.reason}")
    console.print(
        f"written to {summary.out_dir}: report.html, report.md, findings.json, tables/, project.qdpx, codebook.qdc"
    )
    return 0 if report.ok else 1
