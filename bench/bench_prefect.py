"""Prefect flows at scale: cold run, warm re-run, recode with a new head, orchestration cost.

On N transcripts generated from the sample (default 1,000) with the hashing embedder, so that
the numbers measure Telaah's own batching, skipping and findings and Prefect's overhead, not a
neural model. Targets: warm re-run >= 20x faster than cold; recode with a new classifier head
on the same embedder >= 10x faster than cold; Prefect's orchestration <= 5% of the cold run
(measured against the same batch functions called in a plain loop); peak RSS printed per phase.

Read the ratios with the corpus in mind. ``bench/generate_corpus.py`` copies the 12 sample
interviews and varies only trailing whitespace or a zip comment, so every copy has its own
content hash (nothing is skipped as a duplicate) but the same segment texts: 1,000 files hold
about 35,000 segments and only about 400 distinct texts. Parsing and segmentation are paid per
file, as for a real corpus; embedding (persistent cache keyed by text) and classification
(each distinct text of a batch is classified once) are nearly free for the copies. So the cold
run here is mostly ingest, and the recode mostly model loading and findings. The real
embedder is deliberately not used: on this corpus its cache would make the cold run just as
artificially cheap (about 400 texts embedded), and on a corpus of distinct texts the cold run
is dominated by the neural model (far slower per segment than hashing), which makes the warm
and recode ratios larger, not smaller. The hashing mode is the stricter test of Telaah's overhead.
Run: .venv/bin/python bench/bench_prefect.py [--count 1000] [--files-per-batch 64]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CODEBOOK = "kepmenpan_63_2003"
EMBEDDER_REF = "bench.hashing_embedder:hashing_embedder"


def plain_run(corpus: Path, out: Path, version: str, files_per_batch: int) -> float:
    """The flow's batch functions in a plain loop: what the work costs without Prefect."""
    from flows.io.discover import iter_sources
    from flows.prefect.assemble import assemble
    from flows.prefect.batches import WorkDir, code_batch, ingest_batch
    from flows.prefect.code_flow import batched
    from flows.prefect.resources import resolve_embedder
    from pipeline.ingest import MAX_BYTES
    from pipeline.segment.segmenter import SEGMENTER_VERSION

    started = time.perf_counter()
    work = WorkDir(out / "work", SEGMENTER_VERSION)
    files = [str(p) for p in iter_sources([corpus])]
    batches = [
        ingest_batch(chunk, work.ingest, MAX_BYTES) for chunk in batched(files, files_per_batch)
    ]
    for batch in batches:
        code_batch(batch, work, CODEBOOK, version, EMBEDDER_REF)
    fingerprint = resolve_embedder(EMBEDDER_REF).fingerprint
    assemble(
        batches, work, out, codebook_id=CODEBOOK, model_version=version, fingerprint=fingerprint
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--files-per-batch", type=int, default=64)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    tmp = Path(tempfile.mkdtemp(prefix="telaah-bench-prefect-"))
    os.environ["TELAAH_HOME"] = str(tmp / "home")
    os.environ["TELAAH_PREFECT_HOME"] = str(tmp / "prefect")
    os.environ["TQDM_DISABLE"] = "1"

    import flows.prefect  # noqa: F401  pins Prefect's settings before Prefect is imported
    from bench._util import peak_rss_mb, print_table
    from bench.generate_corpus import generate
    from bench.hashing_embedder import hashing_embedder
    from bench.small_model import register_model, stricter_head, train_small_model
    from flows.prefect.code_flow import code_flow
    from flows.prefect.recode_flow import recode_flow
    from models.registry import Registry

    corpus = tmp / "corpus"
    generate(args.count, corpus)
    registry = Registry()
    embedder = hashing_embedder()
    model = train_small_model(CODEBOOK, embedder, registry)
    first = register_model(model, registry, CODEBOOK, embedder, "bench")
    registry.promote(CODEBOOK, first, reason="bench")
    rows: list[list[object]] = []

    def timed(label: str, action: object) -> tuple[float, dict]:
        started = time.perf_counter()
        result = action()  # type: ignore[operator]
        seconds = time.perf_counter() - started
        rows.append([label, seconds, peak_rss_mb()])
        print(f"{label}: {seconds:.1f} s", flush=True)
        return seconds, result

    from flows.prefect.resources import shared_segmenter

    shared_segmenter().segment_batch([])  # load spaCy outside every timing (both runs reuse it)
    empty = tmp / "empty"
    empty.mkdir()
    timed(
        "Prefect start (first flow, empty)",
        lambda: code_flow(
            paths=[str(empty)],
            out_dir=str(tmp / "warmup"),
            codebook_id=CODEBOOK,
            embedder_ref=EMBEDDER_REF,
        ),
    )
    out = tmp / "out"
    recode = {
        "paths": [str(corpus)],
        "out_dir": str(out),
        "codebook_id": CODEBOOK,
        "embedder_ref": EMBEDDER_REF,
        "files_per_batch": args.files_per_batch,
    }
    cold, cold_result = timed("cold run (flow)", lambda: recode_flow(**recode))
    warm, warm_result = timed("warm re-run (flow)", lambda: recode_flow(**recode))
    codes = __import__("pandas").read_parquet(
        out / "versions" / f"{CODEBOOK}-{first}" / "tables" / "codes.parquet"
    )
    threshold = float(codes.loc[codes["indicator"].notna(), "indicator_score"].median())
    second = register_model(
        stricter_head(model, threshold), registry, CODEBOOK, embedder, "new head"
    )
    registry.promote(CODEBOOK, second, reason="bench")
    recoded, recode_result = timed("recode, new head (flow)", lambda: recode_flow(**recode))
    plain, _ = timed(
        "cold run (plain loop)",
        lambda: plain_run(corpus, tmp / "plain", first, args.files_per_batch),
    )
    print()
    rows = [[*row[:2], f"{cold / row[1]:.1f}x" if row[1] else "-", row[2]] for row in rows]
    print_table(["phase", "seconds", "cold / phase", "peak RSS MB"], rows)
    print()
    overhead = max(0.0, cold - plain) / cold
    print_table(
        ["target", "measured", "wanted", "met"],
        [
            ["warm re-run vs cold", f"{cold / warm:.1f}x", ">= 20x", cold / warm >= 20],
            ["recode (new head) vs cold", f"{cold / recoded:.1f}x", ">= 10x", cold / recoded >= 10],
            ["orchestration overhead", f"{overhead:.1%}", "<= 5%", overhead <= 0.05],
            ["peak RSS (whole bench)", f"{peak_rss_mb():,.0f} MB", "flat in --count", "-"],
        ],
    )
    print()
    print(
        f"{cold_result['n_files']} files, {cold_result['n_segments']} segments, "
        f"{cold_result['n_batches']} batches; flow {cold:.1f} s vs plain loop {plain:.1f} s"
    )
    print(
        f"warm: unchanged={warm_result['unchanged']}, parsed={warm_result['parsed']}, "
        f"classified={warm_result['classified_batches']}, "
        f"findings rebuilt={warm_result['findings_rebuilt']}"
    )
    print(
        f"recode: embedded={recode_result['embedded_batches']}, "
        f"classified={recode_result['classified_batches']}, diff={recode_result['diff']}"
    )
    print(f"work files kept in {tmp}")


if __name__ == "__main__":
    main()
