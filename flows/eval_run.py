"""``telaah eval``: stratified cross-validation on the training split, the held-out split, and
the two baselines (zero-shot similarity to the codebook, TF-IDF + logistic regression)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

from flows.embed_stage import embed_model_texts
from flows.io.atomic import write_json, write_with
from flows.train_run import fit_classifier
from models.classify.coder import codebook_labels
from models.classify.evaluate import (
    FUNCTION_DESCRIPTIONS,
    classification_metrics,
    confusion_figure,
    tfidf_baseline,
    zero_shot_indicator_baseline,
)
from models.classify.features import model_texts
from models.classify.indicator import NONE
from models.classify.zero_shot import ZeroShotPrior, indicator_descriptions
from models.codebooks import load_codebook
from models.embedding.protocol import Embedder
from models.training.data import FUNCTIONS, LabelledSegment, load_examples, split
from pipeline.codebook.model import Codebook

log = logging.getLogger(__name__)


def _predict(
    model: Any, X: np.ndarray, examples: Sequence[LabelledSegment]
) -> tuple[list[str], list[str]]:
    codes = model.predict_codes(X, [e.id for e in examples], [e.text for e in examples])
    return [c["indicator"] or NONE for c in codes], [c["function"] for c in codes]


def cross_validate(
    codebook: Codebook, train: Sequence[LabelledSegment], embedder: Embedder, folds: int
) -> dict[str, Any]:
    gold_ind, gold_fun = codebook_labels(train, codebook)
    X = embed_model_texts([e.text for e in train], embedder)
    pred_ind = np.empty(len(train), dtype=object)
    pred_fun = np.empty(len(train), dtype=object)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for fold, (fit_idx, test_idx) in enumerate(splitter.split(X, gold_ind), start=1):
        log.info("cross-validation fold %d/%d", fold, folds)
        model = fit_classifier(codebook, [train[i] for i in fit_idx], embedder)
        ind, fun = _predict(model, X[test_idx], [train[i] for i in test_idx])
        pred_ind[test_idx], pred_fun[test_idx] = ind, fun
    labels = [*codebook.indicator_ids, NONE]
    return {
        "indicator": classification_metrics(gold_ind, list(pred_ind), labels),
        "function": classification_metrics(gold_fun, list(pred_fun), list(FUNCTIONS)),
    }


def baselines(
    codebook: Codebook,
    train: Sequence[LabelledSegment],
    heldout: Sequence[LabelledSegment],
    embedder: Embedder,
) -> dict[str, Any]:
    gold_tr_ind, gold_tr_fun = codebook_labels(train, codebook)
    gold_ho_ind, gold_ho_fun = codebook_labels(heldout, codebook)
    X_tr = embed_model_texts([e.text for e in train], embedder)
    X_ho = embed_model_texts([e.text for e in heldout], embedder)
    desc_texts, desc_labels = indicator_descriptions(codebook)
    prior = ZeroShotPrior().fit(embed_model_texts(desc_texts, embedder), desc_labels)
    fun_prior = ZeroShotPrior().fit(
        embed_model_texts(list(FUNCTION_DESCRIPTIONS.values()), embedder),
        list(FUNCTION_DESCRIPTIONS),
    )
    labels = [*codebook.indicator_ids, NONE]
    tr_texts, ho_texts = (
        model_texts([e.text for e in train]),
        model_texts([e.text for e in heldout]),
    )
    return {
        "zero_shot": {
            "indicator": classification_metrics(
                gold_ho_ind, zero_shot_indicator_baseline(prior, X_tr, gold_tr_ind, X_ho), labels
            ),
            "function": classification_metrics(
                gold_ho_fun, list(fun_prior.predict(X_ho)), list(FUNCTIONS)
            ),
        },
        "tfidf_logreg": {
            "indicator": classification_metrics(
                gold_ho_ind, tfidf_baseline(tr_texts, gold_tr_ind, ho_texts), labels
            ),
            "function": classification_metrics(
                gold_ho_fun, tfidf_baseline(tr_texts, gold_tr_fun, ho_texts), list(FUNCTIONS)
            ),
        },
    }


def evaluate_codebook(
    codebook_id: str,
    *,
    embedder: Embedder,
    folds: int = 5,
    out_dir: Path | None = None,
    with_baselines: bool = True,
) -> dict[str, Any]:
    codebook = load_codebook(codebook_id)
    train, heldout = split(load_examples())
    model = fit_classifier(codebook, train, embedder)
    X_ho = embed_model_texts([e.text for e in heldout], embedder)
    gold_ind, gold_fun = codebook_labels(heldout, codebook)
    pred_ind, pred_fun = _predict(model, X_ho, heldout)
    result: dict[str, Any] = {
        "codebook": codebook.id,
        "embedder": embedder.fingerprint,
        "n_train": len(train),
        "n_heldout": len(heldout),
        "heldout": {
            "indicator": classification_metrics(
                gold_ind, pred_ind, [*codebook.indicator_ids, NONE]
            ),
            "function": classification_metrics(gold_fun, pred_fun, list(FUNCTIONS)),
        },
    }
    if folds > 1:
        result["cross_validation"] = cross_validate(codebook, train, embedder, folds)
    if with_baselines:
        result["baselines"] = baselines(codebook, train, heldout, embedder)
    if out_dir is not None:
        write_json(out_dir / f"eval_{codebook.id}.json", result)
        for split_name in ("heldout", "cross_validation"):
            for task in ("indicator", "function"):
                if split_name in result:
                    fig = confusion_figure(
                        result[split_name][task], f"{codebook.id} {task} ({split_name})"
                    )
                    write_with(
                        out_dir / f"confusion_{codebook.id}_{task}_{split_name}.png",
                        lambda p, f=fig: f.savefig(p, format="png", dpi=110),
                    )
    return result
