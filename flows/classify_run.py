"""Classify segments with a registered model, training the default once when none exists."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from flows.embed_stage import embed_model_texts
from flows.train_run import train_codebook
from models.classify.coder import CLASSIFIER_FORMAT, SegmentClassifier
from models.embedding.protocol import Embedder
from models.registry import ModelEntry, Registry
from models.training.data import data_hash, load_examples, split
from pipeline.errors import Errors, ModelError

log = logging.getLogger(__name__)


def load_or_train(
    codebook_id: str,
    embedder: Embedder,
    version: str | None = None,
    registry: Registry | None = None,
) -> tuple[SegmentClassifier, ModelEntry]:
    registry = registry or Registry()
    promoted = registry.promoted_version(codebook_id)
    if version is None and promoted is None:
        log.warning(
            "no trained model for codebook %r yet: training the default from corpora/train",
            codebook_id,
        )
        train_codebook(codebook_id, embedder=embedder, promote="if-none", registry=registry)
    elif version is None and (reason := _stale(registry.entry(codebook_id).meta)):
        log.warning("model %s of %r %s: retraining", promoted, codebook_id, reason)
        train_codebook(codebook_id, embedder=embedder, promote="always", registry=registry)
    entry = registry.entry(codebook_id, version)
    if entry.meta.get("classifier_format") != CLASSIFIER_FORMAT:
        raise ModelError.make(
            Errors.E422,
            codebook=codebook_id,
            version=entry.version,
            found=entry.meta.get("classifier_format"),
            expected=CLASSIFIER_FORMAT,
        )
    model, entry = registry.load(codebook_id, entry.version)
    if entry.meta.get("embedder") != embedder.fingerprint:
        raise ModelError.make(
            Errors.E421,
            codebook=codebook_id,
            version=entry.version,
            trained=entry.meta.get("embedder_name"),
            current=embedder.name,
        )
    assert isinstance(model, SegmentClassifier)
    return model, entry


def _stale(meta: dict[str, Any]) -> str | None:
    """Why the promoted model should be retrained before use, or ``None``.

    A model trained on the bundled corpus alone is Telaah's default: when a newer Telaah ships a
    changed corpus, the user expects its model, not the old one. A model that learned from a
    coder's reviewed corrections is theirs and is kept (``telaah review-train`` refreshes it).
    """
    if meta.get("classifier_format") != CLASSIFIER_FORMAT:
        return "was written by an older Telaah"
    if meta.get("n_reviewed", 0) == 0:
        bundled = data_hash(split(load_examples())[0])
        if meta.get("training_data_hash") not in (None, bundled):
            return "was trained on an older version of the bundled training corpus"
    return None


def classify_texts(
    ids: Sequence[str],
    texts: Sequence[str],
    model: SegmentClassifier,
    embedder: Embedder,
    embeddings: np.ndarray | None = None,
) -> list[dict[str, Any]]:
    """Codes per the ``telaah classify`` contract; pass ``embeddings`` to skip encoding."""
    if embeddings is None:
        embeddings = embed_model_texts(texts, embedder)
    return model.predict_codes(embeddings, list(ids), list(texts))
