"""Issue item 2: reviewed segments become weighted training data; retrain registers, promotes
and re-suggests (with the written corpus cut to a small sample so the test stays quick)."""

from __future__ import annotations

import random

import pytest

import flows.train_run as train_run
from flows.review.learn import REVIEW_WEIGHT, retrain, reviewed_examples
from models.codebooks import load_codebook
from models.registry import Registry
from models.training.data import load_examples
from tests.flows.review.corpus import HashEmbedder


def test_decisions_become_weighted_examples(app):
    codebook = load_codebook("mitchell")
    a, b, c = app.store.queue("ani", app.filters({}), limit=3)
    app.store.record(
        "ani",
        a["id"],
        "change",
        {
            "indicator": "komunikasi",
            "function": "obstacle",
            "scope": "external",
            "assessment": "negative",
        },
    )
    app.store.record("ani", b["id"], "reject")
    app.store.record(
        "budi",
        b["id"],
        "change",
        {"indicator": "inisiatif", "function": "indicator", "assessment": "positive"},
    )
    app.store.record("ani", c["id"], "accept")
    app.store.undo("ani")  # c is no longer reviewed
    examples = {e.id.removeprefix("review:"): e for e in reviewed_examples(app.store, codebook)}
    assert set(examples) == {a["id"], b["id"]}
    first = examples[a["id"]]
    assert first.concepts and codebook.indicator_for_concepts(first.concepts) == "komunikasi"
    assert (first.function, first.scope, first.assessment, first.weight) == (
        "obstacle",
        "external",
        "negative",
        REVIEW_WEIGHT,
    )
    assert first.text == a["text"]
    # budi decided b after ani: the latest decision wins
    assert codebook.indicator_for_concepts(examples[b["id"]].concepts) == "inisiatif"


def test_reject_teaches_abstention(app):
    codebook = load_codebook("mitchell")
    top = app.store.queue("ani", app.filters({}))[0]
    app.store.record("ani", top["id"], "reject")
    (example,) = reviewed_examples(app.store, codebook)
    assert example.concepts == () and example.function == "other" and example.assessment is None


@pytest.fixture
def small_training_corpus(monkeypatch):
    examples = load_examples()
    random.Random(0).shuffle(examples)
    monkeypatch.setattr(train_run, "load_examples", lambda: examples[:80])


def test_retrain_registers_promotes_and_resuggests(app, tmp_path, small_training_corpus):
    registry = Registry(tmp_path / "registry")
    for segment in app.store.queue("ani", app.filters({}), limit=4):
        app.store.record(
            "ani",
            segment["id"],
            "change",
            {"indicator": "komunikasi", "function": "indicator", "assessment": "positive"},
        )
    result = retrain(app.store, "mitchell", HashEmbedder(), registry=registry)
    assert result["version"] == "mitchell/v1" and result["n_reviewed"] == 4 and result["promoted"]
    entry = registry.entry("mitchell")
    assert entry.promoted and entry.meta["n_reviewed"] == 4
    assert registry.events()[-1]["event"] == "telaah.model.promoted"  # reprocessing listens to this
    assert result["resuggested"] == 20
    ranks = sorted(
        app.store.segment(s["id"])["queue_rank"]
        for s in app.store.queue("ani", app.filters({}), limit=100)
    )
    assert ranks == sorted(set(ranks))
    assert {s["model_version"] for s in app.store.queue("ani", app.filters({}), limit=100)} == {
        "mitchell/v1"
    }
    assert app.store.progress("ani")["changed"] == 4  # decisions untouched by re-suggestion
