"""The embedding stage other stages call: cache first, encode only what is missing.

``embed_texts`` is the single entry point for classification and themes, so "encode once,
reuse everywhere" holds by construction: a re-run over a corpus, or training a new classifier
on the same segments, finds every unchanged segment in the cache and never loads the model.
Misses are encoded longest-first in chunks and written after each chunk, so an interrupted run
keeps what it finished and concurrent runs share work as soon as it is done.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from models.embedding.cache import EmbeddingCache, text_key
from models.embedding.protocol import Embedder, check_embeddings
from pipeline.errors import Errors, ModelError

logger = logging.getLogger(__name__)


@dataclass
class CacheStats:
    """What one call (or, accumulated, one run) cost: reported after every embedding stage."""

    texts: int = 0
    unique: int = 0
    hits: int = 0
    misses: int = 0
    written: int = 0
    encode_seconds: float = 0.0
    total_seconds: float = 0.0
    cache_vectors: int = 0
    cache_bytes: int = 0

    @property
    def hit_rate(self) -> float:
        return self.hits / self.unique if self.unique else 1.0

    def add(self, other: CacheStats) -> None:
        for name in (
            "texts",
            "unique",
            "hits",
            "misses",
            "written",
            "encode_seconds",
            "total_seconds",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.cache_vectors, self.cache_bytes = other.cache_vectors, other.cache_bytes

    def summary(self) -> str:
        return (
            f"{self.texts} texts ({self.unique} unique): {self.hits} cached, {self.misses} encoded "
            f"in {self.encode_seconds:.1f} s; cache holds {self.cache_vectors:,} vectors, "
            f"{self.cache_bytes / 1e6:.1f} MB"
        )


def embed_texts(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache | None = None,
    *,
    prompt_name: str | None = "passage",
    chunk_size: int = 512,
    show_progress: bool | None = None,
) -> tuple[np.ndarray, CacheStats]:
    """Embeddings for ``texts`` in order, plus hit/miss/size statistics.

    Without a cache every text is encoded (duplicates once). ``show_progress=None`` shows a
    bar only on a terminal.
    """
    started = time.perf_counter()
    texts = list(texts)
    stats = CacheStats(texts=len(texts))
    dim = embedder.dimension
    prompt = _effective_prompt(embedder, prompt_name)
    keys = [text_key(t, prompt) for t in texts]
    first_index: dict[bytes, int] = {}
    for i, key in enumerate(keys):
        first_index.setdefault(key, i)
    stats.unique = len(first_index)
    vectors: dict[bytes, np.ndarray] = {}
    fingerprint = embedder.fingerprint if cache is not None else ""
    if cache is not None:
        vectors = cache.get_many(fingerprint, list(first_index), dim, name=embedder.name)
    stats.hits = len(vectors)
    missing = [k for k in first_index if k not in vectors]
    stats.misses = len(missing)
    missing.sort(key=lambda k: -len(texts[first_index[k]]))
    with tqdm(
        total=len(missing),
        desc=f"embedding ({embedder.name})",
        unit="seg",
        # tqdm's None means "only on a terminal"
        disable=(None if missing else True) if show_progress is None else not show_progress,
    ) as bar:
        for start in range(0, len(missing), chunk_size):
            chunk = missing[start : start + chunk_size]
            batch = [texts[first_index[k]] for k in chunk]
            t0 = time.perf_counter()
            encoded = check_embeddings(
                embedder.name, embedder.encode(batch, prompt_name=prompt_name), len(batch), dim
            )
            stats.encode_seconds += time.perf_counter() - t0
            vectors.update(zip(chunk, encoded, strict=True))
            if cache is not None:
                stats.written += cache.put_many(
                    fingerprint, zip(chunk, encoded, strict=True), name=embedder.name
                )
            bar.update(len(chunk))
    out = np.empty((len(texts), dim), dtype=np.float32)
    for i, key in enumerate(keys):
        out[i] = vectors[key]
    if cache is not None:
        size = cache.size()
        stats.cache_vectors, stats.cache_bytes = size.vectors, size.bytes_on_disk
    stats.total_seconds = time.perf_counter() - started
    logger.info("embeddings: %s", stats.summary())
    return out, stats


def _effective_prompt(embedder: Embedder, prompt_name: str | None) -> str | None:
    """The prompt actually applied, so texts embedded without one share cache entries."""
    resolve = getattr(embedder, "effective_prompt", None)
    return resolve(prompt_name) if callable(resolve) else prompt_name


class CachedEmbedder:
    """An :class:`Embedder` that reads through the cache; ``stats`` accumulates over calls."""

    def __init__(self, embedder: Embedder, cache: EmbeddingCache | None = None) -> None:
        self.inner = embedder
        self.cache = cache if cache is not None else EmbeddingCache()
        self.stats = CacheStats()

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def fingerprint(self) -> str:
        return self.inner.fingerprint

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: Sequence[str], *, prompt_name: str | None = "passage") -> np.ndarray:
        vectors, stats = embed_texts(self.inner, texts, self.cache, prompt_name=prompt_name)
        self.stats.add(stats)
        return vectors


def embeddings_for(
    texts: Sequence[str],
    *,
    embeddings: np.ndarray | None = None,
    embedder: Embedder | None = None,
    cache: EmbeddingCache | None = None,
    prompt_name: str | None = "passage",
) -> np.ndarray:
    """Precomputed embeddings if given (checked against ``texts``), else computed via the cache.

    Stages accept ``embeddings=`` so a caller that already holds vectors for a corpus never
    pays for them twice.
    """
    if embeddings is not None:
        arr = np.asarray(embeddings)
        if arr.ndim != 2 or arr.shape[0] != len(texts):
            got = arr.shape[0] if arr.ndim >= 1 else 0
            raise ModelError.make(Errors.E402, expected=len(texts), got=got)
        return np.ascontiguousarray(arr, dtype=np.float32)
    if embedder is None:
        from models.embedding.default import default_embedder

        embedder = default_embedder()
    vectors, _ = embed_texts(embedder, texts, cache, prompt_name=prompt_name)
    return vectors
