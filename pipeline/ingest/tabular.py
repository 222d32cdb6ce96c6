"""Spreadsheets with one answer per row (.csv, .xlsx): question, informant and answer columns.

Researchers often keep interviews this way, several informants per sheet. Each row becomes an
interviewer turn (the question, when there is one) and an informant turn (the answer); columns
are found by name in Indonesian or English. In .xlsx a second sheet of ``key | value`` rows (or
per-row office/date/place columns) gives the header.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from pipeline.errors import Errors, IngestError
from pipeline.ingest.archive import open_archive
from pipeline.ingest.builder import TextBuilder
from pipeline.ingest.header import FIELD_KEYS, fields_from_pairs, meta_from_fields
from pipeline.ingest.timecodes import to_seconds
from pipeline.records import SourceInfo, Transcript

COLUMNS: dict[str, tuple[str, ...]] = {
    "answer": ("jawaban", "answer", "text", "teks", "respons", "tanggapan", "transkrip", "isi"),
    "question": ("pertanyaan", "question", "tanya", "pertanyaan peneliti"),
    "informant": (
        "informan",
        "narasumber",
        "nama informan",
        "nama",
        "responden",
        "speaker",
        "informant",
        "pembicara",
    ),
    "role": FIELD_KEYS["role"],
    "office": FIELD_KEYS["office"],
    "date": ("tanggal", "date", "tanggal wawancara"),
    "place": FIELD_KEYS["place"],
    "start": ("start", "mulai", "waktu mulai"),
    "end": ("end", "selesai", "waktu selesai"),
}
INTERVIEWER_LABEL = "Pewawancara"


def _column_map(header: list[str]) -> dict[str, int]:
    keys = [" ".join(str(h or "").strip().lower().split()) for h in header]
    found: dict[str, int] = {}
    for field, names in COLUMNS.items():
        for i, key in enumerate(keys):
            if key in names and i not in found.values():
                found[field] = i
                break
    return found


def rows_to_transcript(
    rows: list[list[str]], source: SourceInfo, kind: str, info: list[tuple[str, str]] | None = None
) -> Transcript:
    """Shared by .csv and .xlsx once cells are strings."""
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise IngestError.make(Errors.E107, path=source.path)
    columns = _column_map(rows[0])
    if "answer" not in columns:
        raise IngestError.make(
            Errors.E110,
            path=source.path,
            expected=", ".join(COLUMNS["answer"]),
            found=", ".join(str(h) for h in rows[0]) or "no header",
        )

    def cell(row: list[str], field: str) -> str:
        i = columns.get(field)
        return str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""

    body = rows[1:]
    pairs = list(info or [])
    for field in ("office", "date", "place"):
        value = next((cell(r, field) for r in body if cell(r, field)), "")
        if value:
            pairs.append((FIELD_KEYS[field][0], value))
    informants = list(dict.fromkeys(cell(r, "informant") for r in body if cell(r, "informant")))
    roles = list(dict.fromkeys(cell(r, "role") for r in body if cell(r, "role")))
    if len(informants) == 1:
        pairs.append(("informan", informants[0]))
    if len(roles) == 1:
        pairs.append(("jabatan", roles[0]))
    fields, extra = fields_from_pairs(pairs)
    meta = meta_from_fields(fields, extra)
    builder = TextBuilder()
    for row in body:
        answer = cell(row, "answer")
        if not answer:
            continue
        question = cell(row, "question")
        if question:
            builder.add_turn(INTERVIEWER_LABEL, "interviewer", question)
        builder.add_turn(
            cell(row, "informant") or "Informan",
            "informant",
            answer,
            role=cell(row, "role") or meta.role,
            time_start=to_seconds(cell(row, "start")),
            time_end=to_seconds(cell(row, "end")),
        )
    if not builder.turns:
        raise IngestError.make(Errors.E107, path=source.path)
    return Transcript(source, builder.text(), meta, tuple(builder.turns), "table")


def csv_rows(text: str) -> list[list[str]]:
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _sheet_rows(sheet: Iterable[tuple[object, ...]]) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in sheet]


def xlsx_to_transcript(data: bytes, source: SourceInfo) -> Transcript:
    open_archive(data, source.path, "Excel (.xlsx)")  # bomb guard before openpyxl inflates it
    import openpyxl  # local: only spreadsheets pay for the import

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for broken files
        raise IngestError.make(
            Errors.E105, path=source.path, kind="Excel (.xlsx)", detail=str(exc)
        ) from exc
    sheets = [_sheet_rows(ws.iter_rows(values_only=True)) for ws in book.worksheets]
    book.close()
    answer_sheet = next(
        (rows for rows in sheets if rows and "answer" in _column_map(rows[0])), None
    )
    if answer_sheet is None:
        header = sheets[0][0] if sheets and sheets[0] else []
        raise IngestError.make(
            Errors.E110,
            path=source.path,
            expected=", ".join(COLUMNS["answer"]),
            found=", ".join(header) or "no header",
        )
    info = [
        (row[0], row[1])
        for rows in sheets
        if rows is not answer_sheet
        for row in rows
        if len(row) >= 2 and row[0] and row[1]
    ]
    return rows_to_transcript(answer_sheet, source, "xlsx", info)
