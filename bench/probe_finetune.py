"""Does contrastive fine-tuning of the embedder pay? A bounded SetFit-style probe.

Fine-tunes a copy of the default embedder for a fixed number of steps with a supervised
contrastive loss over the training split's labels (primary concept, or the function for
segments without one; batches of label pairs so every anchor has a positive), re-encodes the
corpus, and compares concept accuracy / macro-F1 and function macro-F1 on the held-out split
before and after, for logistic regression on the embedding alone and on Telaah's hybrid
features. Nothing is registered or cached: it answers whether the cost belongs in `telaah
train`, not how to ship it.

    TELAAH_HOME=... .venv/bin/python bench/probe_finetune.py --steps 150 --batch 32 --lr 3e-5
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._util import peak_rss_mb, print_table


def _fine_tune(texts: list[str], labels: list[str], train: list[int], args: argparse.Namespace):
    import torch
    from sentence_transformers import SentenceTransformer

    from models.embedding.locations import default_embedder_location

    torch.manual_seed(0)
    rng = random.Random(0)
    model = SentenceTransformer(str(default_embedder_location()), device="cpu")
    model.max_seq_length = 128
    for p in model[0].auto_model.embeddings.word_embeddings.parameters():
        p.requires_grad = False  # 250k x 384 rows: too costly to update, little to gain
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-5)
    args = parser.parse_args()
    from flows.embed_stage import embed_model_texts
    from models.classify.features import model_texts
    from models.embedding.default import default_embedder
    from models.training.data import load_examples

    examples = load_examples()
    texts = model_texts([e.text for e in examples])
    labels = [e.concepts[0] if e.concepts else f"fn:{e.function}" for e in examples]
    y_con = np.array([e.concepts[0] if e.concepts else "none" for e in examples])
    y_fun = np.array([e.function for e in examples])
    tr = np.array([i for i, e in enumerate(examples) if not e.heldout])
    ho = np.array([i for i, e in enumerate(examples) if e.heldout])
    before = _scores(embed_model_texts(texts, default_embedder()), texts, y_con, y_fun, tr, ho)
    started = time.perf_counter()
    tuned = _fine_tune(texts, labels, list(tr), args)
    seconds = time.perf_counter() - started
    after = _scores(tuned, texts, y_con, y_fun, tr, ho)
    cols = ["concept acc", "concept F1", "function F1"]
    headers = ["embedder", *[f"emb {c}" for c in cols], *[f"hybrid {c}" for c in cols]]
    print(
        f"\n{len(tr)} train / {len(ho)} held-out; {args.steps} steps of {args.batch}: "
        f"{seconds:.0f} s fine-tuning + encoding, peak RSS {peak_rss_mb():,.0f} MB"
    )
    print_table(headers, [["frozen", *before], ["fine-tuned", *after]])


if __name__ == "__main__":
    main()
