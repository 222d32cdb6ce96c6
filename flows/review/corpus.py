"""Fill a review database from the output folder of ``telaah code``.

The tables are read once and copied into SQLite with the queue order already computed, so the
app never loads a whole corpus into memory and a restart reopens instantly: loading is skipped
when the database already holds the corpus (decisions are never touched by a reload).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from flows.review.storage import ReviewStore
from pipeline.errors import Errors, TelaahError
from pipeline.review.queue import diverse_order, hashed_features, segment_uncertainty

log = logging.getLogger(__name__)

FUNCTIONS = ("indicator", "obstacle", "effort", "supporting_factor", "other")


def corpus_files(out_dir: Path) -> dict[str, Path]:
    files = {
        "segments": out_dir / "tables" / "segments.parquet",
        "codes": out_dir / "tables" / "codes.parquet",
        "sources": out_dir / "ingest" / "sources.parquet",
    }
    for path in files.values():
        if not path.exists():
            raise TelaahError.make(Errors.E801, path=out_dir, missing=path.relative_to(out_dir))
    return files


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _items(value: Any) -> list[Any]:
    return [] if value is None or (isinstance(value, float) and value != value) else list(value)


def suggestion_rows(segments: pd.DataFrame, codes: pd.DataFrame) -> list[dict[str, Any]]:
    """One row per segment: its text and context columns plus the model's suggestion."""
    merged = segments.merge(codes, left_on="id", right_on="segment_id", how="left")
    rows = []
    for rec in merged.to_dict("records"):
        rec = {k: _clean(v) if not isinstance(v, list | np.ndarray) else v for k, v in rec.items()}
        indicators = [
            {"id": str(i["id"]), "score": float(i["score"])} for i in _items(rec.get("indicators"))
        ]
        function_scores = {f: float(rec.get(f"p_{f}") or 0.0) for f in FUNCTIONS}
        scores = {"indicators": indicators, "functions": function_scores}
        indicator = rec.get("indicator")
        confidence = (
            float(rec.get("indicator_score") or 0.0)
            if indicator
            else float(rec.get("function_score") or 0.0)
        )
        rows.append(
            {
                **{
                    k: rec.get(k)
                    for k in (
                        "id",
                        "source_id",
                        "source_name",
                        "turn_index",
                        "speaker",
                        "role",
                        "role_category",
                        "start",
                        "end",
                        "text",
                        "normalized",
                        "question",
                        "indicator",
                        "indicator_score",
                        "function",
                        "function_score",
                        "scope",
                        "assessment",
                        "model_version",
                    )
                },
                "confidence": round(confidence, 4),
                "scores": json.dumps(scores),
                "uncertainty": segment_uncertainty(
                    [i["score"] for i in indicators], function_scores
                ),
            }
        )
    return rows


def rank_queue(rows: Sequence[dict[str, Any]], diversity: float = 0.2) -> None:
    """Set ``queue_rank`` in place: active-learning order over the whole corpus.

    ``diversity`` 0.2 won at 50, 100 and 200 reviewed segments in
    ``bench/bench_active_learning.py`` (0.5 won less). Features are hashed on demand for the rows in the queue's window only, so memory stays
    flat however large the corpus.
    """
    texts = [str(r.get("normalized") or r["text"]) for r in rows]
    order = diverse_order(
        [float(r["uncertainty"]) for r in rows],
        lambda indices: hashed_features([texts[i] for i in indices]),
        diversity=diversity,
    )
    for rank, index in enumerate(order):
        rows[index]["queue_rank"] = rank


def source_rows(sources: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "source_id": str(r["source_id"]),
            "name": _clean(r.get("name")),
            "role": _clean(r.get("role")),
            "office": _clean(r.get("office")),
            "text": str(r["text"]),
            "turns": str(r["turns"]),
        }
        for r in sources.to_dict("records")
    ]


def load_corpus(store: ReviewStore, out_dir: Path, *, reload: bool = False) -> int:
    """Copy the coded corpus into ``store`` (once); returns the number of segments."""
    out_dir = Path(out_dir)
    if store.n_segments() and not reload:
        return store.n_segments()
    files = corpus_files(out_dir)
    segments = pd.read_parquet(files["segments"])
    codes = pd.read_parquet(files["codes"])
    rows = suggestion_rows(segments, codes)
    rank_queue(rows)
    store.insert_sources(source_rows(pd.read_parquet(files["sources"])))
    store.upsert_segments(rows)
    codebook = str(codes["codebook"].iloc[0]) if len(codes) else ""
    store.set_meta("codebook", codebook)
    store.set_meta("corpus", str(out_dir.resolve()))
    log.info("loaded %d segments from %s", len(rows), out_dir)
    return len(rows)


def context(store: ReviewStore, segment: dict[str, Any], around: int = 2) -> dict[str, Any]:
    """The turns around a segment (speaker, kind, text) and where the segment sits in its turn."""
    source = store.source(str(segment["source_id"]))
    if source is None:
        return {"turns": [], "source": None}
    turns = json.loads(source["turns"] or "[]")
    text = source["text"]
    index = int(segment["turn_index"] or 0)
    shown = []
    for turn in turns:
        if abs(int(turn["index"]) - index) > around:
            continue
        item = {
            "index": turn["index"],
            "speaker": turn.get("role") or turn["speaker"],
            "kind": turn["kind"],
            "text": text[turn["start"] : turn["end"]],
            "current": int(turn["index"]) == index,
        }
        if item["current"] and segment.get("start") is not None:
            item["mark"] = [
                int(segment["start"]) - turn["start"],
                int(segment["end"]) - turn["start"],
            ]
        shown.append(item)
    return {
        "turns": shown,
        "source": {"name": source["name"], "role": source["role"], "office": source["office"]},
    }
