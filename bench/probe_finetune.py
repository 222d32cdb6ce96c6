"""Does fine-tuning the embedder pay? A bounded probe of two SetFit-style objectives.

Fine-tunes a copy of the default embedder on the training split only, then compares on the
held-out split, for the frozen embedder, the tuned one, and both concatenated:

- logistic regression on the embedding alone and on Telaah's hybrid features (concept
  accuracy / macro-F1, raw function macro-F1);
- with ``--codebooks``, Telaah's own classifier per codebook (indicator and function macro-F1,
  as ``telaah eval`` scores them), the zero-shot prior encoded by the same embedder.

Objectives: ``contrastive`` (supervised contrastive loss over the primary concept, or the
function for segments without one; ``--steps`` batches of label pairs) or ``classify``
(cross-entropy on concept and function heads over mean-pooled tokens, ``--epochs`` passes).
Word embeddings stay frozen. Nothing is registered or cached: it answers whether the cost
belongs in ``telaah train``, not how to ship it.

    TELAAH_HOME=... .venv/bin/python bench/probe_finetune.py --objective classify --epochs 2 \\
        --codebooks mitchell,dwiyanto,servqual
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._util import peak_rss_mb, print_table


def _load_model():
    import torch
    from sentence_transformers import SentenceTransformer

    from models.embedding.locations import default_embedder_location

    torch.manual_seed(0)
    model = SentenceTransformer(str(default_embedder_location()), device="cpu")
    model.max_seq_length = 192
    for p in model[0].auto_model.embeddings.word_embeddings.parameters():
        p.requires_grad = False  # 250k x 384 rows: too costly to update, little to gain
    return model


def _contrastive(model, texts: list[str], labels: list[str], train: list[int], args) -> None:
    import torch

    rng = random.Random(0)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    by_label: dict[str, list[int]] = defaultdict(list)
    for i in train:
        by_label[labels[i]].append(i)
    names = sorted(by_label)
    model.train()
    for step in range(args.steps):
        idx = [i for n in rng.sample(names, args.batch // 2) for i in rng.choices(by_label[n], k=2)]
        features = model.tokenize(["query: " + texts[i] for i in idx])
        z = torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=1)
        y = torch.tensor([names.index(labels[i]) for i in idx])
        eye = torch.eye(len(idx))
        logits = z @ z.T / 0.05 - 1e9 * eye
        positives = (y[:, None] == y[None, :]).float() - eye
        log_p = logits - torch.logsumexp(logits, dim=1, keepdim=True)
        loss = (-(log_p * positives).sum(1) / positives.sum(1).clamp(min=1)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 10 == 0:
            print(f"step {step}: loss {loss.item():.3f}", flush=True)


def _classify(model, texts: list[str], y_con, y_fun, train: list[int], args) -> None:
    """Cross-entropy on two linear heads; the sentence embedding is the model's own pooling."""
    import torch

    rng = random.Random(0)
    concepts, functions = sorted(set(y_con)), sorted(set(y_fun))
    yc = torch.tensor([concepts.index(c) for c in y_con])
    yf = torch.tensor([functions.index(f) for f in y_fun])
    dim = model.get_sentence_embedding_dimension()
    heads = torch.nn.ModuleList(
        [torch.nn.Linear(dim, len(concepts)), torch.nn.Linear(dim, len(functions))]
    )
    body = model[0].auto_model
    opt = torch.optim.AdamW(
        [
            {"params": [p for p in body.parameters() if p.requires_grad], "lr": args.lr},
            {"params": list(heads.parameters()), "lr": 2e-3},
        ],
        weight_decay=0.01,
    )
    counts = torch.bincount(yf[train], minlength=len(functions)).float()
    balance = counts.sum() / (len(functions) * counts.clamp(min=1))
    steps = args.epochs * math.ceil(len(train) / args.batch)
    warm = max(1, int(0.06 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / steps)
    )
    model.train()
    step = 0
    for _ in range(args.epochs):
        order = list(train)
        rng.shuffle(order)
        for start in range(0, len(order), args.batch):
            idx = order[start : start + args.batch]
            features = model.tokenize(["query: " + texts[i] for i in idx])
            out = model[1](model[0](features))["sentence_embedding"]  # mean pooling
            loss = torch.nn.functional.cross_entropy(heads[0](out), yc[idx])
            loss = loss + torch.nn.functional.cross_entropy(heads[1](out), yf[idx], weight=balance)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 25 == 0:
                print(f"step {step}/{steps}: loss {loss.item():.3f}", flush=True)


def _encode(model, texts: list[str]) -> np.ndarray:
    model.eval()
    return model.encode(texts, prompt_name="query", batch_size=32, convert_to_numpy=True)


def _scores(X: np.ndarray, texts: list[str], y_con, y_fun, tr, ho) -> list[float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    from models.classify.text_features import HybridFeatures

    out = []
    for ngrams in (False, True):
        feats = HybridFeatures(use_ngrams=ngrams).fit([texts[i] for i in tr]).transform(X, texts)
        con = LogisticRegression(C=16, max_iter=300, tol=1e-3).fit(feats[tr], y_con[tr])
        fun = LogisticRegression(C=16, max_iter=300, tol=1e-3, class_weight="balanced")
        p, q = con.predict(feats[ho]), fun.fit(feats[tr], y_fun[tr]).predict(feats[ho])
        out += [(p == y_con[ho]).mean(), f1_score(y_con[ho], p, average="macro")]
        out += [f1_score(y_fun[ho], q, average="macro")]
    return out


def _codebook_scores(codebook_id: str, X: np.ndarray, D: np.ndarray, examples, tr, ho) -> list:
    """Telaah's classifier for one codebook on these embeddings, scored like ``telaah eval``."""
    from models.classify.coder import SegmentClassifier, codebook_labels
    from models.classify.evaluate import classification_metrics
    from models.classify.indicator import NONE
    from models.classify.zero_shot import indicator_descriptions
    from models.codebooks import load_codebook
    from models.training.data import FUNCTIONS

    book = load_codebook(codebook_id)
    train, heldout = [examples[i] for i in tr], [examples[i] for i in ho]
    model = SegmentClassifier(book.id).fit(X[tr], train, book, D, indicator_descriptions(book)[1])
    codes = model.predict_codes(X[ho], [e.id for e in heldout], [e.text for e in heldout])
    gold_ind, gold_fun = codebook_labels(heldout, book)
    pred_ind = [c["indicator"] or NONE for c in codes]
    pred_fun = [c["function"] for c in codes]
    return [
        classification_metrics(gold_ind, pred_ind, [*book.indicator_ids, NONE])["macro_f1"],
        classification_metrics(gold_fun, pred_fun, FUNCTIONS)["macro_f1"],
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objective", choices=("contrastive", "classify"), default="contrastive")
    parser.add_argument("--steps", type=int, default=150, help="contrastive: batches")
    parser.add_argument("--epochs", type=int, default=2, help="classify: passes over the data")
    parser.add_argument("--batch", type=int, default=None, help="default 32 / 16")
    parser.add_argument("--lr", type=float, default=None, help="default 3e-5 / 5e-5")
    parser.add_argument("--codebooks", default="", help="comma-separated ids for table 2")
    args = parser.parse_args()
    contrastive = args.objective == "contrastive"
    args.batch = args.batch or (32 if contrastive else 16)
    args.lr = args.lr or (3e-5 if contrastive else 5e-5)
    from flows.embed_stage import embed_model_texts
    from models.classify.features import model_texts
    from models.classify.zero_shot import indicator_descriptions
    from models.codebooks import load_codebook
    from models.embedding.default import default_embedder
    from models.training.data import load_examples

    examples = load_examples()
    texts = model_texts([e.text for e in examples])
    y_con = np.array([e.concepts[0] if e.concepts else "none" for e in examples])
    y_fun = np.array([e.function for e in examples])
    tr = np.array([i for i, e in enumerate(examples) if not e.heldout])
    ho = np.array([i for i, e in enumerate(examples) if e.heldout])
    books = [b for b in args.codebooks.split(",") if b]
    descriptions = {b: model_texts(indicator_descriptions(load_codebook(b))[0]) for b in books}
    frozen = embed_model_texts(texts, default_embedder())
    frozen_d = {b: embed_model_texts(d, default_embedder()) for b, d in descriptions.items()}
    model = _load_model()
    started = time.perf_counter()
    if contrastive:
        labels = [e.concepts[0] if e.concepts else f"fn:{e.function}" for e in examples]
        _contrastive(model, texts, labels, list(tr), args)
    else:
        _classify(model, texts, list(y_con), list(y_fun), list(tr), args)
    tuned = _encode(model, texts)
    seconds = time.perf_counter() - started
    tuned_d = {b: _encode(model, d) for b, d in descriptions.items()}

    def both(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.hstack([a, b]) / np.sqrt(2)

    variants = {
        "frozen": (frozen, frozen_d),
        "fine-tuned": (tuned, tuned_d),
        "frozen + fine-tuned": (
            both(frozen, tuned),
            {b: both(frozen_d[b], tuned_d[b]) for b in books},
        ),
    }
    budget = f"{args.steps} steps" if contrastive else f"{args.epochs} epochs"
    print(
        f"\n{args.objective}, {budget} of {args.batch}, lr {args.lr}; {len(tr)} train / "
        f"{len(ho)} held-out: {seconds:.0f} s fine-tuning + encoding, "
        f"peak RSS {peak_rss_mb():,.0f} MB"
    )
    cols = ["concept acc", "concept F1", "function F1"]
    headers = ["embedder", *[f"emb {c}" for c in cols], *[f"hybrid {c}" for c in cols]]
    rows = [[n, *_scores(X, texts, y_con, y_fun, tr, ho)] for n, (X, _) in variants.items()]
    print_table(headers, [[r[0], *[f"{v:.3f}" for v in r[1:]]] for r in rows])
    if books:
        headers = ["codebook", *[f"{n} {t}" for n in variants for t in ("ind F1", "fn F1")]]
        table = []
        for b in books:
            row = [b]
            for X, D in variants.values():
                row += [f"{v:.3f}" for v in _codebook_scores(b, X, D[b], examples, tr, ho)]
            table.append(row)
        print_table(headers, table)


if __name__ == "__main__":
    main()
