"""``telaah codebook list | show ID | validate FILE``: browse the theories and check your own.

``validate`` exists so a researcher can fix a hand-written codebook before a long coding run
fails on it; it prints every problem with its line and exits 1, which also suits scripts.
"""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from models.codebooks import builtin_codebooks, check_codebook_file, load_codebook
from pipeline.errors import CodebookError


def register(subparsers: argparse._SubParsersAction) -> None:
    codebook = subparsers.add_parser(
        "codebook",
        help="list, show and validate codebooks (theories and their indicators)",
        description="Built-in codebooks live in corpora/codebooks; your own is a YAML file in "
        "the same format (see corpora/codebooks/README.md).",
    )
    actions = codebook.add_subparsers(dest="codebook_command", metavar="ACTION")

    listing = actions.add_parser("list", help="the built-in codebooks")
    listing.set_defaults(handler=run_list)

    show = actions.add_parser("show", help="one codebook's indicators and definitions")
    show.add_argument("codebook", metavar="ID", help="a built-in id or a path to a YAML file")
    show.add_argument("--width", type=int, default=None, help="table width (default: terminal)")
    show.set_defaults(handler=run_show)

    validate = actions.add_parser(
        "validate",
        help="check a codebook file and print every problem with its line",
        description="Exit status 0 when the file is a valid codebook, 1 otherwise.",
    )
    validate.add_argument("file", metavar="FILE")
    validate.set_defaults(handler=run_validate)

    def show_help(_: argparse.Namespace) -> int:
        codebook.print_help()
        return 2

    codebook.set_defaults(handler=show_help)


def run_list(args: argparse.Namespace) -> int:
    table = Table(title="Built-in codebooks")
    table.add_column("id", no_wrap=True)
    table.add_column("theory")
    table.add_column("indicators", justify="right")
    for book in builtin_codebooks():
        table.add_row(book.id, escape(book.theory), str(len(book.indicators)))
    Console().print(table)
    return 0


def run_show(args: argparse.Namespace) -> int:
    book = load_codebook(args.codebook)
    console = Console(width=args.width)
    console.print(f"[bold]{escape(book.name)}[/] ({book.id})", highlight=False)
    console.print(book.citation, markup=False, highlight=False)
    console.print(book.description, markup=False, highlight=False)
    table = Table(show_lines=True)
    table.add_column("indicator", no_wrap=True)
    table.add_column("label")
    table.add_column("definition", ratio=3)
    table.add_column("concepts")
    for indicator in book.indicators:
        cells = (indicator.label, indicator.definition, ", ".join(indicator.concepts))
        table.add_row(indicator.id, *(escape(cell) for cell in cells))
    console.print(table)
    return 0


def run_validate(args: argparse.Namespace) -> int:
    try:
        problems = check_codebook_file(args.file)
    except CodebookError as exc:  # unreadable file: still a validation failure, not a crash
        print(exc)
        return 1
    if problems:
        for problem in problems:
            print(problem)
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun}. See corpora/codebooks/README.md for the codebook format.")
        return 1
    book = load_codebook(args.file)
    print(f"OK: {args.file} is a valid codebook '{book.id}' with {len(book.indicators)} indicators")
    return 0
