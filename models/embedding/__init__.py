"""Sentence embeddings for Telaah: the offline default model, the Embedder interface, the cache.

Typical use from a stage::

    from models.embedding import EmbeddingCache, default_embedder, embed_texts

    vectors, stats = embed_texts(default_embedder(), texts, EmbeddingCache())

Importing this package does not import torch; models load on first use.
"""

from models.embedding.cache import CacheSize, EmbeddingCache, text_key
from models.embedding.cached import CachedEmbedder, CacheStats, embed_texts, embeddings_for
from models.embedding.convert import BuildReport, build_default_model
from models.embedding.default import default_embedder, list_embedders
from models.embedding.locations import (
    DEFAULT_EMBEDDER_NAME,
    default_embedder_location,
    default_embedder_path,
    embedders_dir,
)
from models.embedding.protocol import Embedder, check_embeddings
from models.embedding.resolve import hub_offline, resolve_model
from models.embedding.sentence import SentenceTransformerEmbedder

__all__ = [
    "DEFAULT_EMBEDDER_NAME",
    "BuildReport",
    "CacheSize",
    "CacheStats",
    "CachedEmbedder",
    "Embedder",
    "EmbeddingCache",
    "SentenceTransformerEmbedder",
    "build_default_model",
    "check_embeddings",
    "default_embedder",
    "default_embedder_location",
    "default_embedder_path",
    "embed_texts",
    "embedders_dir",
    "embeddings_for",
    "hub_offline",
    "list_embedders",
    "resolve_model",
    "text_key",
]
