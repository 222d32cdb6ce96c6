"""Prefect flows at scale: cold run, warm re-run, recode with a new head, orchestration cost.

On N transcripts generated from the sample (default 1,000; ``bench/generate_corpus.py``
rewrites names, places, numbers and wording per file, so segment texts are nearly all
distinct: about 29,000 distinct texts among 37,000 segments at 1,000 files, the repeats being
short answers such as "Iya." that real interviews repeat too). Targets: warm re-run >= 20x
faster than cold; recode with a new classifier head on the same embedder >= 10x faster than
cold; Prefect's orchestration <= 5% of the cold run; peak RSS printed per phase, and the
findings step's own peak measured in a child process (it must stay flat as N grows).

Two embedders:

- default: the real default embedder, what a user pays. It must be built; ``--reuse-models``
  links the build in ``$TELAAH_HOME`` (or the default data directory) into the bench's
  temporary home, otherwise the bench builds it there first (about 15 s). On ~35,000 distinct
  segments the cold run takes 10-20 minutes on a 2-core machine.
- ``--hashing``: a bag-of-words hashing embedder, so that the numbers isolate Telaah's own
  batching, skipping and findings and Prefect's overhead.

Orchestration overhead: ``--repeats`` cold runs each of the flow (the first is the cold run
above) and of the same batch functions in a plain loop, each from a fresh work directory and
an emptied embedding cache, strictly alternating (flow, plain, flow, ...); the share is
``(median flow - median plain) / median flow``, on wall time and on CPU time (this process
and the Prefect server), which other work on a shared machine does not inflate.
Run: .venv/bin/python bench/bench_prefect.py [--count 1000] [--hashing] [--reuse-models]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.prefect_runs import CODEBOOK, HASHING_REF


def _setup(args: argparse.Namespace, tmp: Path) -> str | None:
    """The embedder reference the runs use, after making sure its model is there."""
    if args.hashing:
        return HASHING_REF
    from bench.prefect_runs import reuse_models
    from models.embedding.convert import build_default_model

    if args.reuse_models:
        source = os.environ.get("BENCH_SOURCE_HOME") or str(
            Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "telaah"
        )
        reuse_models(tmp / "home", Path(source))
    else:
        started = time.perf_counter()
        build_default_model()
        print(f"built the default embedder in {time.perf_counter() - started:.1f} s", flush=True)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--files-per-batch", type=int, default=64)
    parser.add_argument("--hashing", action="store_true", help="hashing embedder, no model")
    parser.add_argument("--reuse-models", action="store_true", help="link $TELAAH_HOME's build")
    parser.add_argument("--repeats", type=int, default=None, help="flow/plain samples (3 / 1)")
    parser.add_argument("--findings-alone", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    if args.findings_alone:
        from bench.prefect_runs import findings_alone

        print(json.dumps(findings_alone(json.loads(args.findings_alone))))
        return
    # the user's home, read before the bench points TELAAH_HOME at its temporary one
    os.environ.setdefault("BENCH_SOURCE_HOME", os.environ.get("TELAAH_HOME", ""))
    if not os.environ["BENCH_SOURCE_HOME"]:
        del os.environ["BENCH_SOURCE_HOME"]
    tmp = Path(tempfile.mkdtemp(prefix="telaah-bench-prefect-"))
    home = tmp / "home"
    os.environ["TELAAH_HOME"] = str(home)
    os.environ["TELAAH_PREFECT_HOME"] = str(tmp / "prefect")
    os.environ["TQDM_DISABLE"] = "1"
    repeats = max(1, args.repeats or (3 if args.hashing else 1))

    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    import flows.prefect  # noqa: F401  pins Prefect's settings before Prefect is imported
    from bench._util import peak_rss_mb, print_table
    from bench.generate_corpus import generate
    from bench.prefect_runs import (
        cpu_seconds,
        flow_run,
        fresh_caches,
        measure_findings,
        plain_run,
    )
    from bench.small_model import register_model, stricter_head, train_small_model
    from flows.prefect.code_flow import code_flow
    from flows.prefect.recode_flow import recode_flow
    from flows.prefect.resources import resolve_embedder, shared_segmenter
    from models.registry import Registry

    embedder_ref = _setup(args, tmp)
    embedder = resolve_embedder(embedder_ref)  # the object the flows use (one per process)
    corpus = tmp / "corpus"
    generate(args.count, corpus, args.seed)
    registry = Registry()
    model = train_small_model(CODEBOOK, embedder, registry)  # type: ignore[arg-type]
    first = register_model(model, registry, CODEBOOK, embedder, "bench")  # type: ignore[arg-type]
    registry.promote(CODEBOOK, first, reason="bench")
    rows: list[list[object]] = []

    def timed(label: str, action: object) -> tuple[float, object]:
        started, cpu = time.perf_counter(), cpu_seconds()
        result = action()  # type: ignore[operator]
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        rows.append([label, seconds, cpu, peak_rss_mb()])
        print(f"{label}: {seconds:.1f} s ({cpu:.1f} s CPU)", flush=True)
        return seconds, result

    shared_segmenter().segment_batch([])  # load spaCy outside every timing
    embedder.encode(["pemanasan"])  # load the model likewise
    (tmp / "empty").mkdir()
    timed(
        "Prefect start (first flow, empty)",
        lambda: code_flow(paths=[str(tmp / "empty")], out_dir=str(tmp / "warmup"),
                          codebook_id=CODEBOOK, embedder_ref=embedder_ref),
    )  # fmt: skip
    out = tmp / "out"
    recode = {"paths": [str(corpus)], "out_dir": str(out), "codebook_id": CODEBOOK,
              "embedder_ref": embedder_ref, "files_per_batch": args.files_per_batch}  # fmt: skip
    fresh_caches(home)
    cold, cold_result = timed("cold run (flow)", lambda: recode_flow(**recode))
    warm, warm_result = timed("warm re-run (flow)", lambda: recode_flow(**recode))
    first_dir = out / "versions" / f"{CODEBOOK}-{first}"
    codes = pq.read_table(first_dir / "tables" / "codes.parquet").to_pandas()
    threshold = float(codes.loc[codes["indicator"].notna(), "indicator_score"].median())
    second = register_model(stricter_head(model, threshold), registry, CODEBOOK, embedder, "new")  # type: ignore[arg-type]
    registry.promote(CODEBOOK, second, reason="bench")
    recoded, recode_result = timed("recode, new head (flow)", lambda: recode_flow(**recode))
    # the cold run above is the first flow sample; then plain and flow alternate, each from
    # a fresh work directory and an empty embedding cache: F P F P ... P
    flows_s, plains_s = [rows[1][1:3]], []
    for n in range(2 * repeats - 1):
        kind = "plain" if n % 2 == 0 else "flow"
        fresh_caches(home)
        run = flow_run if kind == "flow" else plain_run
        target = tmp / f"{kind}-{n}"
        timed(
            f"cold run ({kind}, {n // 2 + 1 + (kind == 'flow')})",
            lambda run=run, target=target: run(  # type: ignore[misc]
                corpus, target, first, args.files_per_batch, embedder_ref
            ),
        )
        (flows_s if kind == "flow" else plains_s).append(rows[-1][1:3])
    alone = measure_findings(corpus, out / "work", tmp / "findings-alone", first,
                             args.files_per_batch, embedder_ref)  # fmt: skip
    rows.append(["findings step alone (child)", alone["seconds"], "-", alone["peak_rss_mb"]])
    segments = pq.read_table(first_dir / "ingest" / "segments.parquet", columns=["text"])
    distinct = pc.count_distinct(segments.column("text")).as_py()

    print()
    table = [[*r[:3], f"{cold / r[1]:.1f}x" if r[1] else "-", r[3]] for r in rows]  # type: ignore[operator]
    print_table(["phase", "seconds", "CPU s", "cold / phase", "peak RSS MB"], table)
    print()
    flow_med = [statistics.median(float(x[i]) for x in flows_s) for i in (0, 1)]  # type: ignore[arg-type]
    plain_med = [statistics.median(float(x[i]) for x in plains_s) for i in (0, 1)]  # type: ignore[arg-type]
    overhead = (flow_med[0] - plain_med[0]) / flow_med[0]
    overhead_cpu = (flow_med[1] - plain_med[1]) / flow_med[1]
    print_table(
        ["target", "measured", "wanted", "met"],
        [
            ["warm re-run vs cold", f"{cold / warm:.1f}x", ">= 20x", cold / warm >= 20],
            ["recode (new head) vs cold", f"{cold / recoded:.1f}x", ">= 10x", cold / recoded >= 10],
            ["orchestration overhead (wall)", f"{overhead:+.1%}", "<= 5%", overhead <= 0.05],
            ["orchestration overhead (CPU)", f"{overhead_cpu:+.1%}", "<= 5%", overhead_cpu <= 0.05],
            ["findings step peak RSS", f"{alone['peak_rss_mb']:,.0f} MB", "flat in --count", "-"],
            ["peak RSS (whole bench)", f"{peak_rss_mb():,.0f} MB", "-", "-"],
        ],
    )
    print()
    mode = "hashing embedder" if args.hashing else "default embedder"
    print(f"{mode}; {cold_result['n_files']} files, {cold_result['n_segments']} segments "  # type: ignore[index]
          f"({distinct} distinct texts), {cold_result['n_batches']} batches")  # type: ignore[index]  # fmt: skip
    print(f"overhead: flow {[round(float(s[0]), 1) for s in flows_s]} s vs plain "  # type: ignore[arg-type]
          f"{[round(float(s[0]), 1) for s in plains_s]} s wall; medians {flow_med[0]:.1f} / "  # type: ignore[arg-type]
          f"{plain_med[0]:.1f} s wall, {flow_med[1]:.1f} / {plain_med[1]:.1f} s CPU")  # fmt: skip
    print(f"findings step alone: {alone['seconds']:.1f} s, RSS {alone['rss_before_mb']:,.0f} MB "
          f"before it, {alone['peak_rss_mb']:,.0f} MB peak")  # fmt: skip
    w, r = warm_result, recode_result
    print(f"warm: unchanged={w['unchanged']}, parsed={w['parsed']}, "  # type: ignore[index]
          f"classified={w['classified_batches']}, findings rebuilt={w['findings_rebuilt']}")  # type: ignore[index]  # fmt: skip
    print(f"recode: embedded={r['embedded_batches']}, classified={r['classified_batches']}, "  # type: ignore[index]
          f"diff={r['diff']}")  # type: ignore[index]  # fmt: skip
    print(f"work files kept in {tmp}")


if __name__ == "__main__":
    main()
