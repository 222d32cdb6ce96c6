"""Reviewed segments become training data; a retrain registers a model and re-suggests.

A reviewed segment weighs ``REVIEW_WEIGHT`` times a written training example: it is real
speech from the researcher's own corpus, checked by a coder. When a segment has decisions from
several coders the latest one wins. A rejection means "no code of this codebook applies": it
teaches the model to abstain (function ``other``, no indicator).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from flows.review.corpus import rank_queue
from flows.review.storage import ReviewStore
from models.embedding.protocol import Embedder
from models.registry import Registry
from models.training.data import LabelledSegment
from pipeline.codebook.model import Codebook

log = logging.getLogger(__name__)

REVIEW_WEIGHT = 3.0


def labelled_from_decision(
    segment_id: str, text: str, labels: dict[str, Any], codebook: Codebook, weight: float
) -> LabelledSegment:
    """One decision (indicator, function, scope, assessment) as a concept-labelled example."""
    indicator = labels.get("indicator")
    concepts: tuple[str, ...] = ()
    if indicator and indicator in codebook.indicator_ids:
        own = codebook.indicator(indicator).concepts
        concepts = tuple(own[:1])
    function = labels.get("function") or "other"
    if function == "indicator" and not concepts:
        function = "other"
    scope = labels.get("scope") if function == "obstacle" else None
    assessment = labels.get("assessment") if concepts else None
    return LabelledSegment(
        id=f"review:{segment_id}",
        text=text,
        concepts=concepts,
        function=function,
        scope=scope,
        assessment=assessment,
        weight=weight,
    )


def reviewed_examples(
    store: ReviewStore, codebook: Codebook, weight: float = REVIEW_WEIGHT
) -> list[LabelledSegment]:
    latest: dict[str, dict[str, Any]] = {}
    for row in sorted(store.current_decisions(), key=lambda r: r["id"]):
        latest[row["segment_id"]] = row
    return [
        labelled_from_decision(segment_id, row["text"], row, codebook, weight)
        for segment_id, row in sorted(latest.items())
    ]


def resuggest(
    store: ReviewStore, model: Any, embedder: Embedder, model_version: str, batch: int = 2048
) -> int:
    """Replace every segment's suggestion with the new model's and re-rank the queue."""
    import pandas as pd

    from flows.classify_run import classify_texts
    from flows.review.corpus import suggestion_rows

    segments = pd.read_sql_query(
        'SELECT id, source_id, source_name, turn_index, speaker, role, role_category, start, "end", '
        "text, normalized, question FROM segments ORDER BY pos",
        store.conn,
    )
    code_rows: list[dict[str, Any]] = []
    for begin in range(0, len(segments), batch):
        part = segments.iloc[begin : begin + batch]
        texts = list(part["text"])
        for code in classify_texts(list(part["id"]), texts, model, embedder):
            scores = code["function_scores"]
            code_rows.append(
                {
                    "segment_id": code["id"],
                    "indicator": code["indicator"],
                    "indicator_score": code["indicator_score"],
                    "function": code["function"],
                    "function_score": scores.get(code["function"], 0.0),
                    "scope": code["scope"],
                    "assessment": code["assessment"],
                    "model_version": model_version,
                    "indicators": code["indicators"],
                    **{f"p_{f}": s for f, s in scores.items()},
                }
            )
    rows = suggestion_rows(segments, pd.DataFrame(code_rows))
    rank_queue(rows)
    store.upsert_segments(rows)
    return len(rows)


def retrain(
    store: ReviewStore,
    codebook_id: str,
    embedder: Embedder,
    *,
    promote: bool = True,
    registry: Registry | None = None,
    extra: Sequence[LabelledSegment] = (),
) -> dict[str, Any]:
    """Train on the written corpus plus the reviewed segments; promote and re-suggest."""
    from flows.train_run import train_codebook
    from models.codebooks import load_codebook

    registry = registry or Registry()
    codebook = load_codebook(codebook_id)
    examples = [*reviewed_examples(store, codebook), *extra]
    outcome = train_codebook(
        codebook.id,
        embedder=embedder,
        extra_examples=examples,
        promote="always" if promote else "never",
        registry=registry,
    )
    version = f"{codebook.id}/{outcome.entry.version}"
    result: dict[str, Any] = {
        "version": version,
        "n_reviewed": len(examples),
        "promoted": promote,
        "metrics": outcome.metrics,
    }
    if promote:
        model, _ = registry.load(codebook.id, outcome.entry.version)
        result["resuggested"] = resuggest(store, model, embedder, version)
    log.info("retrained %s on %d reviewed segments", version, len(examples))
    return result
