"""The registry: versions, metadata, promotion events, refusal of foreign pickles."""

import threading
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio

from models.classify.heads import CalibratedHead
from models.registry import Registry
from pipeline.errors import ModelError


def _model() -> CalibratedHead:
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (20, 4)), rng.normal(3, 1, (20, 4))])
    return CalibratedHead().fit(X, np.array(["a"] * 20 + ["b"] * 20))


def _save(registry: Registry, codebook: str = "mitchell") -> str:
    version, _ = registry.claim_version(codebook)
    registry.save(
        codebook,
        version,
        _model(),
        {"embedder": "fp-1", "training_data_hash": "abc"},
        {"f1": 0.5},
        "# card\n",
    )
    return version


def test_versions_are_numbered_and_carry_meta_metrics_and_card(tmp_path: Path) -> None:
    registry = Registry(tmp_path)
    assert [_save(registry), _save(registry)] == ["v1", "v2"]
    entries = registry.versions("mitchell")
    assert [e.version for e in entries] == ["v1", "v2"]
    assert entries[0].meta["training_data_hash"] == "abc" and entries[0].metrics == {"f1": 0.5}
    assert (entries[0].path / "card.md").read_text() == "# card\n"
    model, entry = registry.load("mitchell", "v2")
    assert isinstance(model, CalibratedHead) and entry.version == "v2"


def test_concurrent_trainers_never_share_a_version(tmp_path: Path) -> None:
    registry = Registry(tmp_path)
    claimed: list[str] = []
    threads = [
        threading.Thread(target=lambda: claimed.append(registry.claim_version("kasmir")[0]))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed, key=lambda v: int(v[1:])) == [f"v{i}" for i in range(1, 9)]


def test_promotion_changes_the_default_and_emits_an_event(tmp_path: Path) -> None:
    registry = Registry(tmp_path)
    _save(registry)
    _save(registry)
    with pytest.raises(ModelError):
        registry.load("mitchell")  # nothing promoted yet
    registry.promote("mitchell", "v1")
    event = registry.promote("mitchell", "v2", reason="better")
    assert registry.promoted_version("mitchell") == "v2"
    assert registry.load("mitchell")[1].version == "v2"
    assert event["previous"] == "v1" and event["embedder"] == "fp-1"
    assert [e["version"] for e in registry.events()] == ["v1", "v2"]
    assert [e.promoted for e in registry.versions("mitchell")] == [False, True]


def test_unknown_version_lists_the_known_ones(tmp_path: Path) -> None:
    registry = Registry(tmp_path)
    _save(registry)
    with pytest.raises(ModelError) as info:
        registry.load("mitchell", "v9")
    assert "v1" in str(info.value)


def test_a_model_file_with_foreign_types_is_refused(tmp_path: Path) -> None:
    registry = Registry(tmp_path)
    version = _save(registry)
    sio.dump({"payload": Path("/etc/passwd")}, tmp_path / "mitchell" / version / "model.skops")
    with pytest.raises(ModelError) as info:
        registry.load("mitchell", version)
    assert "pathlib" in str(info.value)


def test_cli_promote_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    from flows.cli.main import main

    registry = Registry()  # the session's data directory, as the CLI sees it
    version = _save(registry, "edward_iii")
    assert main(["models", "promote", "--codebook", "edward_iii", version]) == 0
    assert registry.promoted_version("edward_iii") == version
    assert registry.events()[-1]["codebook"] == "edward_iii"
    capsys.readouterr()
    assert main(["models", "list", "--kind", "classifier"]) == 0
    assert f"edward_iii/{version}" in capsys.readouterr().out


def test_a_model_from_an_older_classifier_format_is_not_loaded(tmp_path: Path) -> None:
    from flows.classify_run import load_or_train

    registry = Registry(tmp_path)
    version = _save(registry)  # meta has no classifier_format: written by older code

    class _Embedder:
        name, fingerprint, dimension = "fake", "fp-1", 4

    with pytest.raises(ModelError) as info:
        load_or_train("mitchell", _Embedder(), version, registry=registry)  # type: ignore[arg-type]
    assert info.value.code.name == "E422" and "telaah train --codebook mitchell" in str(info.value)


def test_a_default_model_trained_on_an_older_bundled_corpus_is_retrained() -> None:
    from flows.classify_run import _stale
    from models.classify.coder import CLASSIFIER_FORMAT
    from models.training.data import data_hash, load_examples, split

    current = data_hash(split(load_examples())[0])
    meta = {"classifier_format": CLASSIFIER_FORMAT, "n_reviewed": 0}
    assert _stale({**meta, "training_data_hash": current}) is None
    assert "older version of the bundled" in str(_stale({**meta, "training_data_hash": "0ld"}))
    # A coder's reviewed corrections make the model theirs: kept whatever the bundled corpus.
    assert _stale({**meta, "training_data_hash": "0ld", "n_reviewed": 12}) is None
    assert "older Telaah" in str(_stale({"classifier_format": "1", "n_reviewed": 0}))
