"""Train, evaluate and register one codebook's classifier (``telaah train`` / ``telaah eval``).

Orchestration only: data comes from ``models.training``, estimators from ``models.classify``,
storage from ``models.registry``; embeddings go through the persistent cache so retraining never
re-encodes an unchanged text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flows.embed_stage import embed_model_texts
from models.classify.coder import CLASSIFIER_FORMAT, SegmentClassifier, codebook_labels
from models.classify.evaluate import classification_metrics
from models.classify.indicator import NONE
from models.classify.zero_shot import indicator_descriptions
from models.codebooks import load_codebook
from models.embedding.protocol import Embedder
from models.registry import ModelEntry, Registry
from models.training.data import FUNCTIONS, LabelledSegment, data_hash, load_examples, split
from pipeline.codebook.model import Codebook

log = logging.getLogger(__name__)


@dataclass
class TrainOutcome:
    entry: ModelEntry
    metrics: dict[str, Any]
    seconds: float


def fit_classifier(
    codebook: Codebook,
    examples: Sequence[LabelledSegment],
    embedder: Embedder,
    version: str = "unversioned",
) -> SegmentClassifier:
    X = embed_model_texts([e.text for e in examples], embedder)
    desc_texts, desc_labels = indicator_descriptions(codebook)
    D = embed_model_texts(desc_texts, embedder)
    return SegmentClassifier(codebook.id, model_version=version).fit(
        X, examples, codebook, D, desc_labels
    )


def heldout_metrics(
    model: SegmentClassifier,
    codebook: Codebook,
    heldout: Sequence[LabelledSegment],
    embedder: Embedder,
) -> dict[str, Any]:
    X = embed_model_texts([e.text for e in heldout], embedder)
    codes = model.predict_codes(X, [e.id for e in heldout], [e.text for e in heldout])
    gold_ind, gold_fun = codebook_labels(heldout, codebook)
    pred_ind = [c["indicator"] or NONE for c in codes]
    pred_fun = [c["function"] for c in codes]
    return {
        "indicator": classification_metrics(gold_ind, pred_ind, [*codebook.indicator_ids, NONE]),
        "function": classification_metrics(gold_fun, pred_fun, list(FUNCTIONS)),
    }


def train_codebook(
    codebook_id: str,
    *,
    embedder: Embedder,
    extra_examples: Sequence[LabelledSegment] = (),
    promote: str = "if-none",
    registry: Registry | None = None,
) -> TrainOutcome:
    """Fit on the training split (plus reviewed segments), score the held-out split, register."""
    started = time.perf_counter()
    registry = registry or Registry()
    codebook = load_codebook(codebook_id)
    train, heldout = split(load_examples())
    train = [*train, *extra_examples]
    version, _ = registry.claim_version(codebook.id)
    model = fit_classifier(codebook, train, embedder, version)
    metrics = {"heldout": heldout_metrics(model, codebook, heldout, embedder)} if heldout else {}
    meta = {
        "classifier_format": CLASSIFIER_FORMAT,
        "embedder": embedder.fingerprint,
        "embedder_name": embedder.name,
        "training_data_hash": data_hash(train),
        "n_train": len(train),
        "n_heldout": len(heldout),
        "n_reviewed": len(extra_examples),
        "codebook_source": codebook.source,
    }
    entry = registry.save(
        codebook.id, version, model, meta, metrics, _card(codebook, meta, metrics)
    )
    if promote == "always" or (
        promote == "if-none" and registry.promoted_version(codebook.id) is None
    ):
        registry.promote(
            codebook.id, version, reason="trained" if promote == "always" else "first model"
        )
        entry = registry.entry(codebook.id, version)
    return TrainOutcome(entry, metrics, time.perf_counter() - started)


def _card(codebook: Codebook, meta: dict[str, Any], metrics: dict[str, Any]) -> str:
    lines = [
        f"# Telaah classifier for `{codebook.id}` ({codebook.theory})",
        "",
        f"- embedder: {meta['embedder_name']} (`{meta['embedder']}`)",
        f"- training data hash: `{meta['training_data_hash']}` ({meta['n_train']} segments, "
        f"{meta['n_reviewed']} of them reviewed corrections)",
        f"- held-out segments: {meta['n_heldout']} (never seen in training)",
        "- heads: calibrated logistic regression per task over sentence embeddings; indicator head "
        "blended with a zero-shot prior from the codebook's descriptions; abstain threshold tuned "
        "on out-of-fold predictions",
        "",
    ]
    held = metrics.get("heldout")
    if held:
        lines += ["| task | accuracy | macro-F1 | kappa |", "|---|---|---|---|"]
        for task in ("indicator", "function"):
            m = held[task]
            lines.append(
                f"| {task} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | {m['kappa']:.3f} |"
            )
    return "\n".join(lines) + "\n"
