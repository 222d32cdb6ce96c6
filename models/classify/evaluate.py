"""Metrics a methods chapter can report: accuracy, macro-F1, Cohen's kappa, per-class report,
confusion matrix; plus the two baselines every number is compared with (zero-shot similarity to
the codebook's descriptions, and TF-IDF + logistic regression on the same split)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    classification_report,
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
)
from sklearn.pipeline import make_pipeline

from models.classify.indicator import NONE
from models.classify.zero_shot import ZeroShotPrior

# Descriptions of the functions for the zero-shot baseline (the same idea as indicator prototypes).
FUNCTION_DESCRIPTIONS = {
    "indicator": "penilaian tentang kinerja pegawai atau pelayanan, sudah baik atau belum optimal",
    "obstacle": "hambatan atau kendala yang dihadapi dalam pelaksanaan program dan pelayanan",
    "effort": "upaya atau langkah yang dilakukan untuk mengatasi hambatan, seperti sosialisasi dan pelatihan",
    "supporting_factor": "faktor pendukung yang membantu kelancaran program, seperti dukungan pimpinan dan fasilitas",
    "other": "basa-basi, salam, ucapan terima kasih, obrolan di luar topik wawancara",
}


def classification_metrics(
    y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]
) -> dict[str, Any]:
    y_true, y_pred = list(y_true), list(y_pred)
    labels = [label for label in labels if label in set(y_true) | set(y_pred)]
    named = [label for label in labels if label != NONE]
    return {
        "n": len(y_true),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "macro_f1": round(
            float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)), 4
        ),
        "macro_f1_named": round(
            float(f1_score(y_true, y_pred, labels=named, average="macro", zero_division=0)), 4
        ),
        "kappa": round(float(cohen_kappa_score(y_true, y_pred)), 4),
        "labels": labels,
        "report": classification_report(
            y_true, y_pred, labels=labels, output_dict=True, zero_division=0
        ),
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def tfidf_baseline(
    train_texts: Sequence[str], train_y: Sequence[str], test_texts: Sequence[str]
) -> np.ndarray:
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True),
        LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced"),
    )
    model.fit(list(train_texts), list(train_y))
    return model.predict(list(test_texts))


def zero_shot_indicator_baseline(
    prior: ZeroShotPrior, X_train: np.ndarray, y_train: Sequence[str], X_test: np.ndarray
) -> np.ndarray:
    """Nearest indicator description; "none" below a similarity threshold tuned on train."""
    labels = np.append(prior.classes_, NONE)
    sims_train = prior.similarity(X_train)
    best, best_f1 = 0.0, -1.0
    for threshold in np.quantile(sims_train.max(axis=1), np.linspace(0, 0.95, 40)):
        pred = _zero_shot_decide(prior, sims_train, threshold)
        f1 = f1_score(list(y_train), pred, labels=labels, average="macro", zero_division=0)
        if f1 > best_f1:
            best, best_f1 = float(threshold), f1
    return _zero_shot_decide(prior, prior.similarity(X_test), best)


def _zero_shot_decide(prior: ZeroShotPrior, sims: np.ndarray, threshold: float) -> np.ndarray:
    pred = prior.classes_[np.argmax(sims, axis=1)].astype(object)
    pred[sims.max(axis=1) < threshold] = NONE
    return pred


def confusion_figure(metrics: dict[str, Any], title: str):  # -> matplotlib Figure
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [label.replace(NONE, "(none)") for label in metrics["labels"]]
    matrix = np.array(metrics["confusion"])
    size = max(5.0, 0.45 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for (i, j), value in np.ndenumerate(matrix):
        if value:
            color = "white" if value > matrix.max() / 2 else "black"
            ax.text(j, i, str(value), ha="center", va="center", fontsize=7, color=color)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(
        f"{title}\nmacro-F1 {metrics['macro_f1']:.3f}, kappa {metrics['kappa']:.3f}", fontsize=10
    )
    fig.tight_layout()
    return fig
