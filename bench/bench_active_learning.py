"""Does the review queue pay? Simulated coding: queue order vs random order.

A simulated coder reviews segments of the training corpus (its labels play the coder's
answers) in batches of 25; after each batch the model is refitted on what was reviewed and
the next batch is drawn either from the review queue (``pipeline.review.queue``: margin
uncertainty with diversity) or at random. Macro-F1 of the indicator label (including "none")
on the held-out split is reported at 50, 100 and 200 reviewed segments, averaged over seeds.

The model is a logistic regression over sentence embeddings, the core of Telaah's indicator
head without calibration and priors, so one simulated run takes seconds; the real embedder is
used when it is built (``--embedder lsa`` forces model-free TF-IDF + SVD vectors fitted on the pool).

    python bench/bench_active_learning.py [--embedder default|lsa] [--seeds 10] [--diversity 0.2]

Results of the last run are kept in ``bench/results/active_learning/`` (table and plot).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._util import print_table
from models.classify.coder import codebook_labels
from models.codebooks import load_codebook
from models.training.data import load_examples, split
from pipeline.review.queue import diverse_order, margin_uncertainty, random_order

BUDGETS = (50, 100, 200)
BATCH = 25
SEED_SET = 20  # reviewed before the queue exists (the first model is trained on these)


def embed(train: list[str], heldout: list[str], which: str) -> tuple[np.ndarray, np.ndarray, str]:
    """Sentence embeddings, or (``lsa``, and when the model is unusable) TF-IDF + SVD; the
    third value names what was actually used, so a fallback is never reported as the model."""
    if which == "default":
        try:
            from flows.embed_stage import embed_model_texts
            from models.embedding import default_embedder

            embedder = default_embedder()  # through the persistent cache: reruns skip encoding
            return (
                embed_model_texts(train, embedder),
                embed_model_texts(heldout, embedder),
                "default",
            )
        except Exception as exc:
            print(f"default embedder unavailable ({exc}); using lsa", file=sys.stderr)
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    lsa = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
        TruncatedSVD(256, random_state=0),
        Normalizer(),
    ).fit(train)
    return (
        lsa.transform(train).astype(np.float32),
        lsa.transform(heldout).astype(np.float32),
        "lsa",
    )


def fit_predict(X: np.ndarray, y: np.ndarray, Xq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities, classes); a one-class training set predicts that class everywhere."""
    classes = np.unique(y)
    if len(classes) == 1:
        return np.ones((len(Xq), 1)), classes
    model = LogisticRegression(C=8.0, max_iter=500, class_weight="balanced").fit(X, y)
    return model.predict_proba(Xq), model.classes_


def simulate(
    X, y, Xh, yh, strategy: str, seed: int, labels: list[str], diversity: float = 0.5
) -> dict[int, float]:
    rng = np.random.default_rng(seed)
    reviewed = [int(i) for i in rng.choice(len(X), SEED_SET, replace=False)]
    scores: dict[int, float] = {}
    while len(reviewed) < max(BUDGETS):
        seen = set(reviewed)
        pool = np.array([i for i in range(len(X)) if i not in seen])
        size = min(BATCH, min(b for b in BUDGETS if b > len(reviewed)) - len(reviewed))
        if strategy == "random":
            picks = pool[random_order(len(pool), seed=seed + len(reviewed))[:size]]
        else:
            proba, _ = fit_predict(X[reviewed], y[reviewed], X[pool])
            uncertainty = [margin_uncertainty(row) for row in proba]
            picks = pool[diverse_order(uncertainty, X[pool], diversity=diversity)[:size]]
        reviewed.extend(int(i) for i in picks)
        if len(reviewed) in BUDGETS:
            proba, classes = fit_predict(X[reviewed], y[reviewed], Xh)
            predicted = classes[np.argmax(proba, axis=1)]
            scores[len(reviewed)] = float(
                f1_score(yh, predicted, labels=labels, average="macro", zero_division=0)
            )
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codebook", default="mitchell")
    parser.add_argument("--embedder", choices=("default", "lsa"), default="default")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--diversity", type=float, default=0.2)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent / "results" / "active_learning"
    )
    args = parser.parse_args()
    codebook = load_codebook(args.codebook)
    train, heldout = split(load_examples())
    y = np.array(codebook_labels(train, codebook)[0])
    yh = np.array(codebook_labels(heldout, codebook)[0])
    X, Xh, used = embed([e.text for e in train], [e.text for e in heldout], args.embedder)
    labels = sorted(set(yh))
    results: dict[str, list[dict[int, float]]] = {"queue": [], "random": []}
    for seed in range(args.seeds):
        for strategy in results:
            results[strategy].append(simulate(X, y, Xh, yh, strategy, seed, labels, args.diversity))
    rows = []
    for budget in BUDGETS:
        q = [r[budget] for r in results["queue"]]
        r = [r[budget] for r in results["random"]]
        rows.append(
            [
                budget,
                f"{np.mean(q):.3f} ± {np.std(q):.3f}",
                f"{np.mean(r):.3f} ± {np.std(r):.3f}",
                f"{np.mean(q) - np.mean(r):+.3f}",
            ]
        )
    headers = ["reviewed", "queue macro-F1", "random macro-F1", "gain"]
    print_table(headers, rows)
    args.out.mkdir(parents=True, exist_ok=True)
    table = ["| " + " | ".join(headers) + " |", "|---|---|---|---|"] + [
        "| " + " | ".join(map(str, row)) + " |" for row in rows
    ]
    (args.out / "active_learning.md").write_text(
        f"Codebook `{args.codebook}`, embedder `{used}`, {args.seeds} seeds, "
        f"diversity {args.diversity}, seed set {SEED_SET}, batches of {BATCH}, "
        f"{len(train)} pool / {len(heldout)} held-out segments.\n\n" + "\n".join(table) + "\n",
        encoding="utf-8",
    )
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    for strategy, style, shift in (("queue", "o-", -2), ("random", "s--", 2)):
        means = [np.mean([r[b] for r in results[strategy]]) for b in BUDGETS]
        sds = [np.std([r[b] for r in results[strategy]]) for b in BUDGETS]
        ax.errorbar(
            [b + shift for b in BUDGETS], means, yerr=sds, fmt=style, capsize=3, label=strategy
        )
    ax.set_xlabel("segments reviewed")
    ax.set_ylabel("held-out macro-F1 (indicator)")
    ax.set_title(f"Active learning vs random ({args.codebook})")
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.out / "active_learning.png", dpi=120)
    print(f"table and plot -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
