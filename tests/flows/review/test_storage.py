"""Issue items 1 and 3: decisions with who/when/before/after, undo, durability, filters, scale."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from flows.review.storage import Filters, ReviewStore
from pipeline.errors import TelaahError


def first(app, coder: str = "ani", **filters):
    return app.store.queue(coder, Filters(**filters))[0]


def test_accept_change_reject_store_who_when_before_after(app):
    store = app.store
    a, b, c = store.queue("ani", Filters(), limit=3)
    store.record("ani", a["id"], "accept")
    store.record(
        "ani",
        b["id"],
        "change",
        {"indicator": "komunikasi", "function": "indicator", "assessment": "negative"},
    )
    store.record("ani", c["id"], "reject")
    history = store.history()
    assert [h["action"] for h in history] == ["accept", "change", "reject"]
    assert all(h["coder"] == "ani" and h["time"] for h in history)
    assert json.loads(history[0]["after"]) == json.loads(history[0]["before"])
    assert json.loads(history[1]["before"])["indicator"] == b["indicator"]
    assert (history[1]["indicator"], history[1]["function"], history[1]["assessment"]) == (
        "komunikasi",
        "indicator",
        "negative",
    )
    assert history[2]["indicator"] is None and history[2]["function"] is None
    assert store.progress("ani") == {
        "reviewed": 3,
        "agreed": 1,
        "changed": 1,
        "rejected": 1,
        "total": 20,
    }


def test_reviewed_segments_leave_the_queue_and_undo_brings_them_back(app):
    store = app.store
    top = first(app)
    store.record("ani", top["id"], "accept")
    assert first(app)["id"] != top["id"]
    assert store.undo("ani") == top["id"]
    assert first(app)["id"] == top["id"]
    assert store.progress("ani")["reviewed"] == 0
    history = store.history()
    assert len(history) == 1 and history[0]["undone"] == 1 and history[0]["undone_time"]
    assert store.undo("ani") is None


def test_undo_of_a_second_decision_restores_the_first(app):
    store = app.store
    top = first(app)
    store.record("ani", top["id"], "accept")
    store.record("ani", top["id"], "change", {"indicator": "inisiatif", "function": "indicator"})
    assert store.progress("ani")["changed"] == 1
    store.undo("ani")
    assert store.progress("ani") == {
        **store.progress("ani"),
        "reviewed": 1,
        "agreed": 1,
        "changed": 0,
    }


def test_coders_have_independent_queues(app):
    store = app.store
    top = first(app)
    store.record("ani", top["id"], "accept")
    assert first(app, "budi")["id"] == top["id"]
    assert store.progress("budi")["reviewed"] == 0


def test_decisions_survive_a_crash_without_close(app, corpus):
    store = app.store
    top = first(app)
    store.record("ani", top["id"], "reject")
    # a second process opening the file while the first never closed it (killed mid-review)
    other = sqlite3.connect(corpus / "review" / "review.sqlite")
    assert other.execute("SELECT action FROM reviews").fetchall() == [("reject",)]
    other.close()
    reopened = ReviewStore(corpus / "review" / "review.sqlite")
    assert reopened.progress("ani")["rejected"] == 1
    assert reopened.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reopened.close()


def test_filters(app):
    store = app.store
    for row in store.queue("ani", Filters(indicator="kualitas_kerja"), limit=100):
        assert row["indicator"] == "kualitas_kerja"
    no_indicator = store.queue("ani", Filters(indicator="(none)"), limit=100)
    assert no_indicator and all(r["indicator"] is None for r in no_indicator)
    obstacles = store.queue("ani", Filters(function="obstacle"), limit=100)
    assert obstacles and all(r["function"] == "obstacle" for r in obstacles)
    source = first(app)["source_id"]
    assert {r["source_id"] for r in store.queue("ani", Filters(source_id=source), limit=100)} == {
        source
    }
    low = store.queue("ani", Filters(max_confidence=0.25), limit=100)
    assert low and all(r["confidence"] <= 0.25 for r in low)
    assert len(low) + len(store.queue("ani", Filters(min_confidence=0.2501), limit=100)) == 20


def test_unknown_action_segment_or_coder_is_an_error(app):
    top = first(app)
    with pytest.raises(TelaahError, match="E803"):
        app.store.record("ani", top["id"], "maybe")
    with pytest.raises(TelaahError, match="E802"):
        app.store.record("ani", "nope", "accept")
    with pytest.raises(TelaahError, match="E804"):
        app.store.record(" ", top["id"], "accept")


def test_queue_stays_fast_on_a_large_corpus(tmp_path):
    store = ReviewStore(tmp_path / "big.sqlite")
    n = 120_000
    rows = [
        {
            "id": f"s{i}", "source_id": f"src{i % 300}", "source_name": "x", "turn_index": i % 50,
            "speaker": "I", "role": None, "role_category": "staff", "start": 0, "end": 1,
            "text": "t", "normalized": "t", "question": None,
            "indicator": ("kualitas_kerja", "komunikasi", None)[i % 3], "indicator_score": 0.5,
            "function": "indicator", "function_score": 0.5, "scope": None, "assessment": None,
            "model_version": "m", "confidence": (i % 100) / 100, "scores": "{}", "queue_rank": i,
            "uncertainty": 0.5,
        }
        for i in range(n)
    ]  # fmt: skip
    store.upsert_segments(rows)
    for i in range(0, 3000, 3):  # a long review session on one indicator
        store.record("ani", f"s{i}", "accept")
    started = time.perf_counter()
    for _ in range(20):
        page = store.queue("ani", Filters(indicator="kualitas_kerja"), limit=1)
        store.progress("ani")
    per_request = (time.perf_counter() - started) / 20
    assert page[0]["id"] == "s3000"
    assert per_request < 0.05, per_request
    plan = " ".join(
        str(r[-1]) for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT s.* FROM segments s WHERE s.indicator = ? AND NOT EXISTS "
            "(SELECT 1 FROM decisions d WHERE d.segment_id = s.id AND d.coder = ?) ORDER BY s.queue_rank LIMIT 1",
            ("kualitas_kerja", "ani"),
        )
    )  # fmt: skip
    assert "seg_indicator" in plan and "TEMP B-TREE" not in plan
    store.close()
