"""Expensive objects a worker process loads once and shares between its tasks.

Tasks receive small, serialisable names (an embedder reference, a model version) rather than
objects, because on a Dask cluster they run in other processes or on other machines; each
process resolves a name at most once.
"""

from __future__ import annotations

import functools
import importlib
import logging
import threading

from flows.classify_run import load_or_train
from models.classify.coder import CLASSIFIER_FORMAT, SegmentClassifier
from models.embedding.protocol import Embedder
from models.registry import Registry
from pipeline.errors import Errors, ModelError
from pipeline.segment import SpacySegmenter
from pipeline.segment.segmenter import Segmenter

log = logging.getLogger(__name__)
_LOCK = threading.Lock()


@functools.cache
def _embedder(ref: str | None) -> Embedder:
    if ref is None:
        from models.embedding import default_embedder

        return default_embedder()
    module_name, _, attribute = ref.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ModelError.make(Errors.E701, ref=ref, detail=str(exc)) from exc
    embedder = factory()
    if not isinstance(embedder, Embedder):
        raise ModelError.make(Errors.E701, ref=ref, detail="it does not return an Embedder")
    return embedder


def resolve_embedder(ref: str | None) -> Embedder:
    """``None``: the default model; ``"package.module:factory"``: what that factory returns."""
    with _LOCK:
        return _embedder(ref)


@functools.cache
def _model(root: str, codebook_id: str, version: str, fingerprint: str) -> SegmentClassifier:
    model, entry = Registry().load(codebook_id, version)
    if entry.meta.get("embedder") != fingerprint:
        raise ModelError.make(
            Errors.E421,
            codebook=codebook_id,
            version=version,
            trained=entry.meta.get("embedder_name"),
            current=fingerprint,
        )
    assert isinstance(model, SegmentClassifier)
    return model


def cached_model(codebook_id: str, version: str, fingerprint: str) -> SegmentClassifier:
    """A registered classifier, loaded once per process (loading unpickles and checks types)."""
    with _LOCK:
        return _model(str(Registry().root), codebook_id, version, fingerprint)


def resolve_model_version(codebook_id: str, version: str | None, embedder_ref: str | None) -> str:
    """The version a run codes with: the given one, else the promoted one (trained if none).

    Reads the registry's metadata only: loading a model costs about a second, which a warm
    re-run that ends up classifying nothing must not pay. Anything unusual (no promoted model,
    an older classifier format, another embedder) goes through ``load_or_train``, which
    retrains or raises the coded error.
    """
    registry = Registry()
    wanted = version or registry.promoted_version(codebook_id)
    if wanted is not None:
        try:
            meta = registry.entry(codebook_id, wanted).meta
        except ModelError:
            meta = {}
        if (
            meta.get("classifier_format") == CLASSIFIER_FORMAT
            and meta.get("embedder") == resolve_embedder(embedder_ref).fingerprint
        ):
            return wanted
    _, entry = load_or_train(codebook_id, resolve_embedder(embedder_ref), version)
    return entry.version


@functools.cache
def shared_segmenter() -> Segmenter:
    return SpacySegmenter()
