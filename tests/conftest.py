"""Session-wide fixtures: a private data directory, and builders for binary test documents."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "corpora" / "sample"


@pytest.fixture(autouse=True, scope="session")
def _private_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never touch the user's data directory (models are reused only if asked)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("TELAAH_HOME", str(tmp_path_factory.mktemp("telaah_home")))
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("DO_NOT_TRACK", "1")
    yield
    mp.undo()


def make_docx(paragraphs: list[str], bold_labels: bool = True) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        para = document.add_paragraph()
        label, sep, rest = text.partition(": ")
        if bold_labels and sep and len(label) < 25:
            para.add_run(label + ":").bold = True
            para.add_run(" " + rest)
        else:
            para.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_odt(paragraphs: list[str]) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for text in paragraphs:
        document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def make_xlsx(rows: list[list[str]], info: list[list[str]] | None = None) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if info:
        extra = book.create_sheet("Info")
        for row in info:
            extra.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def default_embedder_built(_private_home: None):
    """The real default model, built once per session in the session's data directory."""
    from models.embedding import build_default_model, default_embedder

    build_default_model()
    return default_embedder()


@pytest.fixture(scope="session")
def trained_mitchell(default_embedder_built):
    """The default ``mitchell`` classifier, trained once per session from corpora/train."""
    from flows.train_run import train_codebook

    return train_codebook("mitchell", embedder=default_embedder_built, promote="always")
