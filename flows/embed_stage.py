"""The embedding stage as other flows use it: model text, e5 prompt, persistent cache."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from models.classify.features import MODEL_PROMPT, model_texts
from models.embedding import EmbeddingCache, embed_texts
from models.embedding.protocol import Embedder

log = logging.getLogger(__name__)


def embed_model_texts(
    texts: Sequence[str], embedder: Embedder, cache: EmbeddingCache | None = None
) -> np.ndarray:
    """Embed what the models see of ``texts`` (normalised), reusing every cached vector."""
    vectors, stats = embed_texts(
        embedder, model_texts(texts), cache or EmbeddingCache(), prompt_name=MODEL_PROMPT
    )
    log.info("embeddings: %s", stats)
    return vectors
