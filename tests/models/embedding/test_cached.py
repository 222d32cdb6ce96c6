"""``embed_texts`` and ``CachedEmbedder`` with a tiny fake embedder: what gets encoded when."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from models.embedding import (
    CachedEmbedder,
    Embedder,
    EmbeddingCache,
    embed_texts,
    embeddings_for,
)
from pipeline.errors import Errors, ModelError


class FakeEmbedder:
    """Deterministic vectors from a hash of (salt, prompt, text); records every call."""

    def __init__(
        self, salt: str = "v1", dimension: int = 8, fail_on_call: int | None = None
    ) -> None:
        self.name = "fake"
        self.fingerprint = f"fake-{salt}"
        self.dimension = dimension
        self.calls: list[list[str]] = []
        self.fail_on_call = fail_on_call

    def encode(self, texts: Sequence[str], *, prompt_name: str | None = "passage") -> np.ndarray:
        self.calls.append(list(texts))
        if self.fail_on_call == len(self.calls):
            raise RuntimeError("model crashed")
        return (
            np.stack([self.vector(t, prompt_name) for t in texts])
            if texts
            else np.zeros((0, self.dimension))
        )

    def vector(self, text: str, prompt_name: str | None = "passage") -> np.ndarray:
        seed = hashlib.sha256(f"{self.fingerprint}|{prompt_name}|{text}".encode()).digest()
        return np.random.default_rng(list(seed)).normal(size=self.dimension).astype(np.float32)


TEXTS = ["pelayanan cepat", "antrean panjang sekali di kantor", "ya", "pelayanan cepat", "gak tau"]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[EmbeddingCache]:
    with EmbeddingCache(tmp_path / "c.sqlite3") as c:
        yield c


def test_the_fake_and_the_real_embedder_satisfy_the_protocol() -> None:
    from models.embedding import SentenceTransformerEmbedder

    assert isinstance(FakeEmbedder(), Embedder)
    assert isinstance(CachedEmbedder(FakeEmbedder(), None), Embedder)  # type: ignore[arg-type]
    assert {"name", "fingerprint", "dimension", "encode"} <= set(dir(SentenceTransformerEmbedder))


def test_cold_run_encodes_each_unique_text_once_longest_first(cache: EmbeddingCache) -> None:
    fake = FakeEmbedder()
    vectors, stats = embed_texts(fake, TEXTS, cache)
    assert fake.calls == [["antrean panjang sekali di kantor", "pelayanan cepat", "gak tau", "ya"]]
    assert (stats.texts, stats.unique, stats.hits, stats.misses, stats.written) == (5, 4, 0, 4, 4)
    assert vectors.dtype == np.float32 and vectors.shape == (5, 8)
    for row, text in zip(vectors, TEXTS, strict=True):
        np.testing.assert_array_equal(row, fake.vector(text))


def test_warm_run_never_calls_the_model(cache: EmbeddingCache) -> None:
    cold, _ = embed_texts(FakeEmbedder(), TEXTS, cache)
    fake = FakeEmbedder()
    warm, stats = embed_texts(fake, TEXTS, cache)
    assert fake.calls == []
    np.testing.assert_array_equal(warm, cold)
    assert (stats.hits, stats.misses, stats.hit_rate) == (4, 0, 1.0)
    assert stats.cache_vectors == 4 and stats.cache_bytes > 0
    assert "4 cached, 0 encoded" in stats.summary()


def test_only_new_segments_are_encoded(cache: EmbeddingCache) -> None:
    embed_texts(FakeEmbedder(), TEXTS, cache)
    fake = FakeEmbedder()
    _, stats = embed_texts(fake, [*TEXTS, "segmen baru"], cache)
    assert fake.calls == [["segmen baru"]] and (stats.hits, stats.misses) == (4, 1)


def test_a_changed_model_invalidates_everything(cache: EmbeddingCache) -> None:
    embed_texts(FakeEmbedder("v1"), TEXTS, cache)
    retrained = FakeEmbedder("v2")
    vectors, stats = embed_texts(retrained, TEXTS, cache)
    assert stats.hits == 0 and len(retrained.calls[0]) == 4
    np.testing.assert_array_equal(vectors[0], retrained.vector(TEXTS[0]))


def test_the_prompt_is_part_of_the_key(cache: EmbeddingCache) -> None:
    embed_texts(FakeEmbedder(), TEXTS, cache, prompt_name="passage")
    fake = FakeEmbedder()
    vectors, stats = embed_texts(fake, TEXTS[:1], cache, prompt_name="query")
    assert stats.misses == 1
    np.testing.assert_array_equal(vectors[0], fake.vector(TEXTS[0], "query"))


def test_without_a_cache_everything_is_encoded() -> None:
    fake = FakeEmbedder()
    _, stats = embed_texts(fake, TEXTS, None)
    assert stats.misses == 4 and stats.written == 0 and stats.cache_vectors == 0


def test_finished_chunks_survive_a_crash(cache: EmbeddingCache) -> None:
    texts = [f"segmen nomor {i:02d}" for i in range(10)]
    with pytest.raises(RuntimeError):
        embed_texts(FakeEmbedder(fail_on_call=2), texts, cache, chunk_size=4)
    fake = FakeEmbedder()
    _, stats = embed_texts(fake, texts, cache, chunk_size=4)
    assert stats.hits == 4 and sum(map(len, fake.calls)) == 6


def test_a_wrongly_shaped_result_is_refused_before_caching(cache: EmbeddingCache) -> None:
    fake = FakeEmbedder()
    fake.encode = lambda texts, *, prompt_name="passage": np.zeros((len(texts), 3))  # type: ignore[method-assign]
    with pytest.raises(ModelError) as info:
        embed_texts(fake, TEXTS, cache)
    assert info.value.code is Errors.E410 and "(4, 8)" in str(info.value)
    assert cache.size().vectors == 0


def test_empty_input() -> None:
    vectors, stats = embed_texts(FakeEmbedder(), [], None)
    assert vectors.shape == (0, 8) and stats.unique == 0


def test_cached_embedder_accumulates_statistics(cache: EmbeddingCache) -> None:
    fake = FakeEmbedder()
    cached = CachedEmbedder(fake, cache)
    assert (cached.name, cached.fingerprint, cached.dimension) == ("fake", "fake-v1", 8)
    first = cached.encode(TEXTS)
    second = cached.encode(TEXTS[:2], prompt_name="passage")
    np.testing.assert_array_equal(second, first[:2])
    assert (cached.stats.texts, cached.stats.hits, cached.stats.misses) == (7, 2, 4)
    assert len(fake.calls) == 1


def test_precomputed_embeddings_are_used_and_checked() -> None:
    given = np.ones((5, 8), dtype=np.float64)
    out = embeddings_for(TEXTS, embeddings=given, embedder=FakeEmbedder())
    assert out.dtype == np.float32 and out.shape == (5, 8)
    with pytest.raises(ModelError) as info:
        embeddings_for(TEXTS, embeddings=np.ones((4, 8)))
    assert info.value.code is Errors.E402 and "expected 5 rows, got 4" in str(info.value)
    fake = FakeEmbedder()
    np.testing.assert_array_equal(embeddings_for(TEXTS, embedder=fake)[2], fake.vector("ya"))
