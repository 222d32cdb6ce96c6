"""SentenceTransformerEmbedder on a tiny converted model, and how model references resolve."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

import models.embedding.fingerprint as fingerprint_module
from models.embedding import SentenceTransformerEmbedder, resolve_model
from models.embedding.convert import build_default_model
from models.embedding.fingerprint import directory_fingerprint
from models.embedding.sentence import pick_device
from pipeline.errors import Errors, ModelError
from tests.models.embedding.tiny_bundle import write_tiny_bundle

TEXTS = [
    "ya",
    "pelayanan di kantor desa lambat sekali",
    "data",
    "kami tidak pernah diajak musyawarah",
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real sentence-transformers directory (64-dim, e5 prompts) in a few seconds."""
    root = tmp_path_factory.mktemp("tiny-st")
    bundle = write_tiny_bundle(root / "tiny.bin", seed=3)
    return build_default_model(root / "tiny-e5", bundle_path=bundle, verify=False).path


def test_nothing_loads_until_text_needs_encoding(tiny_model: Path) -> None:
    embedder = SentenceTransformerEmbedder(tiny_model)
    assert embedder.dimension == 64 and len(embedder.fingerprint) == 40
    assert embedder._model is None
    assert embedder.name == "tiny-e5" and embedder.prompts["passage"] == "passage: "


def test_rows_come_back_in_input_order_despite_length_sorting(tiny_model: Path) -> None:
    embedder = SentenceTransformerEmbedder(tiny_model, batch_size=2)
    vectors = embedder.encode(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape == (4, 64)
    one_by_one = np.vstack([embedder.encode([t]) for t in TEXTS])
    np.testing.assert_allclose(vectors, one_by_one, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_prompts_change_the_vectors_and_unknown_prompts_are_dropped(
    tiny_model: Path, caplog: pytest.LogCaptureFixture
) -> None:
    embedder = SentenceTransformerEmbedder(tiny_model)
    passage, query, bare = (
        embedder.encode(TEXTS[:1], prompt_name=p) for p in ("passage", "query", None)
    )
    assert not np.allclose(passage, query) and not np.allclose(passage, bare)
    with caplog.at_level(logging.INFO):
        unknown = embedder.encode(TEXTS[:1], prompt_name="clustering")
    np.testing.assert_allclose(unknown, bare, atol=1e-6)
    assert "no 'clustering' prompt" in caplog.text


def test_texts_over_the_window_are_reported(
    tiny_model: Path, caplog: pytest.LogCaptureFixture
) -> None:
    embedder = SentenceTransformerEmbedder(tiny_model, max_seq_length=16)
    with caplog.at_level(logging.WARNING):
        embedder.encode(["pendek", "kalimat ini jauh lebih panjang dari enam belas token " * 3])
    assert "1 of 2 texts are longer than 16 tokens" in caplog.text


def test_fingerprint_follows_content_and_settings_not_location(
    tiny_model: Path, tmp_path: Path
) -> None:
    base = SentenceTransformerEmbedder(tiny_model).fingerprint
    copy = tmp_path / "elsewhere"
    shutil.copytree(tiny_model, copy)
    assert SentenceTransformerEmbedder(copy).fingerprint == base
    assert SentenceTransformerEmbedder(copy, normalize=False).fingerprint != base
    assert SentenceTransformerEmbedder(copy, max_seq_length=128).fingerprint != base
    config = json.loads((copy / "config_sentence_transformers.json").read_text())
    config["prompts"]["passage"] = "dokumen: "
    (copy / "config_sentence_transformers.json").write_text(json.dumps(config))
    assert SentenceTransformerEmbedder(copy).fingerprint != base
    (copy / "README.md").write_text("a different card changes nothing")
    weights = (copy / "model.safetensors").read_bytes()
    middle = len(weights) // 2
    (copy / "model.safetensors").write_bytes(
        weights[:middle] + bytes([weights[middle] ^ 1]) + weights[middle + 1 :]
    )
    changed = SentenceTransformerEmbedder(copy).fingerprint
    (copy / "model.safetensors").write_bytes(weights)
    assert changed != SentenceTransformerEmbedder(copy).fingerprint


def test_unchanged_files_are_not_rehashed(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = tmp_path / "digests.json"
    old = time.time() - 60
    for path in tiny_model.rglob("*"):
        os.utime(path, (old, old))  # settled files; fresh ones are always rehashed
    first = directory_fingerprint(tiny_model, memo)
    calls: list[Path] = []
    real = fingerprint_module.file_sha256
    monkeypatch.setattr(fingerprint_module, "file_sha256", lambda p: calls.append(p) or real(p))
    assert directory_fingerprint(tiny_model, memo) == first and calls == []


def test_cuda_is_used_when_present() -> None:
    import torch

    assert pick_device() == ("cuda" if torch.cuda.is_available() else "cpu")
    assert pick_device("cpu") == "cpu"


# ---- resolving model references offline ----------------------------------------------------


def test_a_name_missing_offline_says_how_to_point_at_a_local_copy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, telaah_home: Path
) -> None:
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError) as info:
        SentenceTransformerEmbedder("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2")
    message = str(info.value)
    assert info.value.code is Errors.E401 and "HF_HUB_OFFLINE is set" in message
    assert "local sentence-transformers directory" in message and str(telaah_home) in message


def test_downloads_need_explicit_permission_and_offline_overrides_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import huggingface_hub
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    with pytest.raises(ModelError, match="only loads local models"):
        resolve_model("acme/not-here")
    real_download = huggingface_hub.snapshot_download

    def no_network(repo_id: str, **kwargs: object) -> str:
        if not kwargs.get("local_files_only"):
            raise OSError("network unreachable")
        return real_download(repo_id, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(huggingface_hub, "snapshot_download", no_network)
    with pytest.raises(ModelError) as info:
        resolve_model("acme/not-here", allow_download=True)
    assert info.value.code is Errors.E411 and "network unreachable" in str(info.value)
    monkeypatch.setenv("HF_HUB_OFFLINE", "true")
    with pytest.raises(ModelError) as info:
        resolve_model("acme/not-here", allow_download=True)
    assert info.value.code is Errors.E401


def test_a_model_in_the_hub_cache_loads_offline(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub.constants

    hub = tmp_path / "hub"
    repo = hub / "models--acme--tiny-e5"
    shutil.copytree(tiny_model, repo / "snapshots" / "0123abcd")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123abcd")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(hub))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = SentenceTransformerEmbedder("acme/tiny-e5")
    assert embedder.name == "acme/tiny-e5" and embedder.encode(TEXTS[:2]).shape == (2, 64)


def test_local_references(tiny_model: Path, telaah_home: Path, tmp_path: Path) -> None:
    named = telaah_home / "models" / "embedders" / "my-model"
    shutil.copytree(tiny_model, named)
    assert resolve_model("my-model") == ("my-model", named.resolve())
    assert resolve_model(str(tiny_model))[1] == tiny_model.resolve()
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="holds no model"):
        resolve_model(str(tmp_path / "empty"))
    with pytest.raises(ModelError) as info:
        resolve_model("default")
    assert info.value.code is Errors.E405
