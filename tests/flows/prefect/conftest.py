"""Prefect test fixtures: private Prefect state, a network guard, one test server, one model.

Prefect reads its settings when first imported, so this module points them at a temporary
directory at import time, before any test module imports Prefect. The network guard and a
private data directory are set up for this package's tests only (see
``_guarded_private_home``), so the rest of the suite runs as before.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.flows.prefect import netguard

_ROOT = Path(tempfile.mkdtemp(prefix="telaah-prefect-tests-"))
_GUARD_DIR = _ROOT / "guard"
_GUARD_DIR.mkdir()
shutil.copy(Path(__file__).with_name("netguard.py"), _GUARD_DIR / "sitecustomize.py")
NETGUARD_LOG = _ROOT / "network-attempts.log"
NETGUARD_LOG.touch()
_REPO = Path(__file__).resolve().parents[3]
os.environ["TELAAH_PREFECT_HOME"] = str(_ROOT / "prefect")
import flows.prefect  # noqa: E402,F401  pins Prefect's settings before Prefect is imported

SAMPLE = _REPO / "corpora" / "sample"
CODEBOOK = "kepmenpan_63_2003"
EMBEDDER_REF = "bench.hashing_embedder:hashing_embedder"
SLOW_EMBEDDER_REF = "bench.hashing_embedder:slow_hashing_embedder"
CORPUS_FILES = ("01_kadis_sosial.txt", "04_pendamping_pkh.txt", "08_camat_paten.txt")


@pytest.fixture(scope="package")
def prefect_root() -> Path:
    return _ROOT


@pytest.fixture(scope="package", autouse=True)
def _guarded_private_home() -> Iterator[None]:
    """For these tests only: a private data directory and the network guard.

    The guard goes on ``PYTHONPATH`` as ``sitecustomize`` so the Prefect servers and flow
    subprocesses these tests start run under it too; the private ``TELAAH_HOME`` keeps the
    models registered here away from the rest of the test suite.
    """
    mp = pytest.MonkeyPatch()
    mp.setenv("TELAAH_HOME", str(_ROOT / "home"))
    mp.setenv("TELAAH_NETGUARD_LOG", str(NETGUARD_LOG))
    mp.setenv(
        "PYTHONPATH",
        os.pathsep.join(
            p for p in (str(_GUARD_DIR), str(_REPO), os.environ.get("PYTHONPATH")) if p
        ),
    )
    netguard.install()
    yield
    netguard.uninstall()
    mp.undo()


@pytest.fixture(scope="package")
def harness(_guarded_private_home: None) -> Iterator[None]:
    """One Prefect test server for these tests (starting one takes 10-30 s here)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="package")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for name in CORPUS_FILES:
        shutil.copy(SAMPLE / name, folder / name)
    return folder


def register_model(model: object, registry: object, note: str) -> str:
    """Save ``model`` as the next version of CODEBOOK, as ``train_codebook`` would."""
    from bench.hashing_embedder import hashing_embedder
    from bench.small_model import register_model as register
    from models.registry import Registry

    assert isinstance(registry, Registry)
    return register(model, registry, CODEBOOK, hashing_embedder(), note)


@pytest.fixture(scope="package")
def trained_version(_guarded_private_home: None) -> str:
    """A small classifier for the hashing embedder, trained once per session and promoted."""
    from bench.hashing_embedder import hashing_embedder
    from bench.small_model import train_small_model
    from models.registry import Registry

    registry = Registry()
    if registry.promoted_version(CODEBOOK) is None:
        model = train_small_model(CODEBOOK, hashing_embedder(), registry)
        registry.promote(CODEBOOK, register_model(model, registry, "small"), reason="tests")
    version = registry.promoted_version(CODEBOOK)
    assert version is not None
    return version
