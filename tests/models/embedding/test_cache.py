"""The SQLite embedding cache: round trips, invalidation, persistence, concurrent writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from models.embedding.cache import EmbeddingCache, text_key
from pipeline.errors import Errors, ModelError

DIM = 16


def vec(i: int) -> np.ndarray:
    return np.full(DIM, float(i), dtype=np.float32) + np.arange(DIM, dtype=np.float32) / 100


def test_round_trip_is_exact_and_absent_keys_are_missing(tmp_path: Path) -> None:
    with EmbeddingCache(tmp_path / "c.sqlite3") as cache:
        keys = [text_key(f"teks {i}", "passage") for i in range(5)]
        assert cache.put_many("model-a", zip(keys[:3], map(vec, range(3)), strict=True)) == 3
        found = cache.get_many("model-a", keys, DIM)
        assert set(found) == set(keys[:3])
        for i, key in enumerate(keys[:3]):
            np.testing.assert_array_equal(found[key], vec(i))


def test_another_model_or_prompt_never_sees_the_vectors(tmp_path: Path) -> None:
    with EmbeddingCache(tmp_path / "c.sqlite3") as cache:
        key = text_key("pelayanan lambat", "passage")
        cache.put_many("model-a", [(key, vec(1))])
        assert cache.get_many("model-b", [key], DIM) == {}
        assert text_key("pelayanan lambat", "query") != key
        assert text_key("pelayanan lambat", None) != key


def test_rewriting_a_key_keeps_the_first_vector(tmp_path: Path) -> None:
    with EmbeddingCache(tmp_path / "c.sqlite3") as cache:
        key = text_key("x", None)
        assert cache.put_many("m", [(key, vec(1))]) == 1
        assert cache.put_many("m", [(key, vec(2))]) == 0
        np.testing.assert_array_equal(cache.get_many("m", [key], DIM)[key], vec(1))


def test_vectors_of_another_size_are_ignored(tmp_path: Path) -> None:
    with EmbeddingCache(tmp_path / "c.sqlite3") as cache:
        key = text_key("x", None)
        cache.put_many("m", [(key, np.ones(4, dtype=np.float32))])
        assert cache.get_many("m", [key], DIM) == {}


def test_persists_and_reports_size_and_clears(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with EmbeddingCache(path) as cache:
        cache.put_many("m1", [(text_key(str(i), None), vec(i)) for i in range(10)])
        cache.put_many("m2", [(text_key(str(i), None), vec(i)) for i in range(4)])
    with EmbeddingCache(path) as cache:
        size = cache.size()
        assert (size.vectors, size.models) == (14, 2) and size.bytes_on_disk > 14 * DIM * 4
        assert cache.size("m2").vectors == 4
        assert cache.clear("m1") == 10 and cache.size().vectors == 4
        assert cache.clear() == 4 and cache.size().vectors == 0


def test_the_database_stores_no_interview_text(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with EmbeddingCache(path) as cache:
        cache.put_many("m", [(text_key("rahasia informan", "passage"), vec(0))])
    assert b"rahasia" not in b"".join(p.read_bytes() for p in tmp_path.iterdir())


def test_default_location_is_in_the_data_directory(telaah_home: Path) -> None:
    with EmbeddingCache() as cache:
        assert cache.path == telaah_home / "cache" / "embeddings" / "embeddings.sqlite3"


@pytest.mark.parametrize("damage", ["garbage", "schema"])
def test_unusable_files_raise_e409(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "c.sqlite3"
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    else:
        EmbeddingCache(path).close()
        with sqlite3.connect(path) as db:
            db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ModelError) as info:
        EmbeddingCache(path)
    assert info.value.code is Errors.E409 and "delete the file" in str(info.value)


def _writer(path: str, start: int, stop: int, barrier: multiprocessing.synchronize.Barrier) -> None:
    cache = EmbeddingCache(Path(path), timeout=60)
    barrier.wait()
    for lo in range(start, stop, 50):
        batch = [
            (text_key(f"segmen {i}", "passage"), vec(i)) for i in range(lo, min(lo + 50, stop))
        ]
        cache.put_many("shared-model", batch, name="fake")
        cache.get_many("shared-model", [k for k, _ in batch], DIM)
    cache.close()


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [
        ctx.Process(target=_writer, args=(str(path), lo, hi, barrier))
        for lo, hi in ((0, 1500), (750, 2250))
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with EmbeddingCache(path) as cache:
        keys = [text_key(f"segmen {i}", "passage") for i in range(2250)]
        found = cache.get_many("shared-model", keys, DIM)
        assert len(found) == 2250 and (cache.size().vectors, cache.size().models) == (2250, 1)
        assert all(np.array_equal(found[k], vec(i)) for i, k in enumerate(keys))


def test_threads_can_share_one_instance(tmp_path: Path) -> None:
    with EmbeddingCache(tmp_path / "c.sqlite3") as cache:

        def work(offset: int) -> None:
            for i in range(offset, offset + 200, 20):
                cache.put_many("m", [(text_key(str(j), None), vec(j)) for j in range(i, i + 20)])

        threads = [threading.Thread(target=work, args=(n * 100,)) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert cache.size("m").vectors == 400


def test_a_writer_that_never_gets_the_lock_gets_e412(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    EmbeddingCache(path).close()
    with sqlite3.connect(path, isolation_level=None) as other:
        other.execute("BEGIN IMMEDIATE")  # another process holding the write lock
        with pytest.raises(ModelError) as info:
            EmbeddingCache(path, timeout=0.2)
        other.execute("ROLLBACK")
    assert info.value.code is Errors.E412 and "locked by another process" in str(info.value)
    with EmbeddingCache(path, timeout=0.2) as cache:
        assert cache.put_many("m", [(text_key("x", None), vec(0))]) == 1
