"""Prefect test fixtures: private Prefect state, a network guard, one test server, one model.

Prefect reads its settings when first imported, so this module points them at a temporary
directory and installs the network guard at import time, before any test module imports
Prefect; the guard also goes on ``PYTHONPATH`` as ``sitecustomize`` so that every Prefect
server and flow subprocess started by the tests runs under it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_ROOT = Path(tempfile.mkdtemp(prefix="telaah-prefect-tests-"))
_GUARD_DIR = _ROOT / "guard"
_GUARD_DIR.mkdir()
shutil.copy(Path(__file__).with_name("netguard.py"), _GUARD_DIR / "sitecustomize.py")
NETGUARD_LOG = _ROOT / "network-attempts.log"
NETGUARD_LOG.touch()
os.environ["TELAAH_NETGUARD_LOG"] = str(NETGUARD_LOG)
os.environ["TELAAH_PREFECT_HOME"] = str(_ROOT / "prefect")
_REPO = Path(__file__).resolve().parents[3]
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(_GUARD_DIR), str(_REPO), os.environ.get("PYTHONPATH")) if p
)
sys.path.insert(0, str(_GUARD_DIR))
import sitecustomize  # noqa: E402,F401  the guard, in this process too

import flows.prefect  # noqa: E402,F401  pins Prefect's settings before Prefect is imported

SAMPLE = _REPO / "corpora" / "sample"
CODEBOOK = "kepmenpan_63_2003"
EMBEDDER_REF = "bench.hashing_embedder:hashing_embedder"
SLOW_EMBEDDER_REF = "bench.hashing_embedder:slow_hashing_embedder"
CORPUS_FILES = ("01_kadis_sosial.txt", "04_pendamping_pkh.txt", "08_camat_paten.txt")


@pytest.fixture(scope="session")
def prefect_root() -> Path:
    return _ROOT


@pytest.fixture(scope="session")
def harness() -> Iterator[None]:
    """One Prefect test server for the whole session (starting one takes 10-30 s here)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for name in CORPUS_FILES:
        shutil.copy(SAMPLE / name, folder / name)
    return folder


def register_model(model: object, registry: object, note: str) -> str:
    """Save ``model`` as the next version of CODEBOOK, as ``train_codebook`` would."""
    from bench.hashing_embedder import hashing_embedder
    from models.registry import Registry

    assert isinstance(registry, Registry)
    embedder = hashing_embedder()
    version, _ = registry.claim_version(CODEBOOK)
    meta = {"embedder": embedder.fingerprint, "embedder_name": embedder.name, "note": note}
    registry.save(CODEBOOK, version, model, meta, {}, f"# test model: {note}\n")
    return version


@pytest.fixture(scope="session")
def trained_version() -> str:
    """A small classifier for the hashing embedder, trained once per session and promoted.

    ``train_codebook`` on the full training corpus takes minutes on this machine; a twelfth
    of it with a stronger regularisation trains in seconds and still exercises every head.
    """
    from bench.hashing_embedder import hashing_embedder
    from flows.embed_stage import embed_model_texts
    from models.classify.coder import SegmentClassifier
    from models.classify.zero_shot import indicator_descriptions
    from models.codebooks import load_codebook
    from models.registry import Registry
    from models.training.data import load_examples, split

    registry = Registry()
    if registry.promoted_version(CODEBOOK) is None:
        codebook = load_codebook(CODEBOOK)
        examples = split(load_examples())[0][::12]
        embedder = hashing_embedder()
        descriptions, labels = indicator_descriptions(codebook)
        model = SegmentClassifier(codebook.id, C=1.0).fit(
            embed_model_texts([e.text for e in examples], embedder),
            examples,
            codebook,
            embed_model_texts(descriptions, embedder),
            labels,
        )
        registry.promote(CODEBOOK, register_model(model, registry, "small"), reason="tests")
    version = registry.promoted_version(CODEBOOK)
    assert version is not None
    return version
