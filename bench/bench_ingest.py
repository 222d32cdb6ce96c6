"""Ingest + segmentation throughput on 1,000 transcripts generated from the sample corpus.

Target on the 2-core CI machine: at least 2,000 segments/s, so that segmentation stays under
5% of the embedding time that follows (embedding runs at roughly 65 segments/s).
Run: .venv/bin/python bench/bench_ingest.py [--count 1000]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._util import peak_rss_mb, print_table
from bench.generate_corpus import generate
from flows.ingest_run import ingest_paths
from flows.io.discover import iter_sources
from pipeline.ingest import read_transcript
from pipeline.segment import SpacySegmenter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        files = generate(args.count, corpus)
        size_mb = sum(f.stat().st_size for f in files) / 1e6
        SpacySegmenter().nlp  # noqa: B018  (load once, outside the timings)

        started = time.perf_counter()
        transcripts = [read_transcript(f.read_bytes(), str(f)) for f in iter_sources([corpus])]
        parse_s = time.perf_counter() - started
        started = time.perf_counter()
        n_segments = sum(len(s) for s in SpacySegmenter().segment_batch(transcripts))
        segment_s = time.perf_counter() - started
        del transcripts

        started = time.perf_counter()
        report = ingest_paths([corpus], Path(tmp) / "out")
        flow_s = time.perf_counter() - started
        started = time.perf_counter()
        ingest_paths([corpus], Path(tmp) / "out")
        rerun_s = time.perf_counter() - started

    rows = [
        ["parse (read_transcript)", len(files), n_segments, parse_s, n_segments / parse_s],
        ["segment (spaCy + grouping)", len(files), n_segments, segment_s, n_segments / segment_s],
        [
            "parse + segment",
            len(files),
            n_segments,
            parse_s + segment_s,
            n_segments / (parse_s + segment_s),
        ],
        [
            "telaah ingest (flow, writes Parquet)",
            len(report.sources),
            report.n_segments,
            flow_s,
            report.n_segments / flow_s,
        ],
        [
            "telaah ingest re-run (all reused)",
            len(report.sources),
            report.n_segments,
            rerun_s,
            report.n_segments / rerun_s,
        ],
    ]
    print(f"\n{len(files)} transcripts, {size_mb:.1f} MB; peak RSS {peak_rss_mb():.0f} MB\n")
    print_table(["stage", "files", "segments", "seconds", "segments/s"], rows)


if __name__ == "__main__":
    main()
