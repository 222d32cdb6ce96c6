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
    elif (
        version is None
        and registry.entry(codebook_id).meta.get("classifier_format") != CLASSIFIER_FORMAT
    ):
        log.warning(
            "model %s of %r was written by an older Telaah: retraining", promoted, codebook_id
        )
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
