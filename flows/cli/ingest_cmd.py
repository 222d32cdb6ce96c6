"""``telaah ingest`` (files to segment tables) and ``telaah segment`` (one file, on screen)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from flows.ingest_run import ingest_paths
from pipeline.errors import Errors, IngestError
from pipeline.ingest import MAX_BYTES, read_transcript
from pipeline.segment import SpacySegmenter


def register(subparsers: argparse._SubParsersAction) -> None:
    ingest = subparsers.add_parser(
        "ingest",
        help="read transcripts and write their segments as tables",
        description="Read interview files (or folders of them), segment them, and write "
        "segments.parquet, sources.parquet and manifest.json to --out. Exit status 1 when any "
        "file was skipped (the summary says which and why).",
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    ingest.add_argument("--out", required=True, type=Path, metavar="DIR")
    ingest.add_argument("--jsonl", action="store_true", help="write segments as JSON lines")
    ingest.add_argument(
        "--max-mb", type=float, default=MAX_BYTES / 1e6, help="largest file accepted"
    )
    ingest.set_defaults(handler=run_ingest)

    segment = subparsers.add_parser("segment", help="print one file's segments as a table")
    segment.add_argument("file", type=Path)
    segment.add_argument("--width", type=int, default=None, help="table width (default: terminal)")
    segment.set_defaults(handler=run_segment)


def run_ingest(args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    report = ingest_paths(
        args.paths,
        args.out,
        table_format="jsonl" if args.jsonl else "parquet",
        max_bytes=int(args.max_mb * 1e6),
    )
    console.print(
        f"[bold]{len(report.sources)}[/] sources, [bold]{report.n_segments}[/] segments "
        f"written to {args.out} ({report.reused} reused from an earlier run)"
    )
    if report.skipped:
        table = Table(title=f"{len(report.skipped)} skipped", show_lines=False)
        table.add_column("file")
        table.add_column("code")
        table.add_column("why")
        for item in report.skipped:
            table.add_row(Path(item.path).name, item.code, item.reason)
        console.print(table)
    return 0 if report.ok else 1


def run_segment(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError.make(
            Errors.E113, path=str(path), detail=exc.strerror or str(exc)
        ) from exc
    transcript = read_transcript(data, str(path))
    segments = SpacySegmenter().segment(transcript)
    console = Console(width=args.width)
    meta = transcript.meta
    console.print(
        f"[bold]{path.name}[/]  style={transcript.label_style}  encoding={transcript.source.encoding}  "
        f"informant={meta.informant or '-'}  role={meta.role or '-'} ({meta.role_category})  "
        f"office={meta.office or '-'}  date={meta.date or meta.date_text or '-'}  place={meta.place or '-'}"
    )
    for warning in transcript.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    table = Table(show_lines=True)
    for column in ("#", "turn", "speaker", "role", "offsets", "text"):
        table.add_column(column, overflow="fold")
    for number, seg in enumerate(segments, start=1):
        table.add_row(
            str(number),
            str(seg.turn_index),
            seg.speaker,
            seg.role_category,
            f"{seg.start}-{seg.end}",
            seg.text,
        )
    console.print(table)
    console.print(f"{len(segments)} segments from {len(transcript.turns)} turns")
    return 0
