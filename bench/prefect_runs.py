"""The runs ``bench_prefect.py`` compares, kept apart so each one starts from the same state.

A fair orchestration-overhead figure needs the flow and the plain loop to pay for the same
work: the same cold embedding cache, a fresh work directory each, and no advantage from going
second (file system cache, warmed allocators), so the bench alternates their order and takes
medians. The findings step's memory is measured in a child process of its own, because the
process-wide peak of the bench is set by whichever phase is biggest and says nothing about
whether findings stay bounded as the corpus grows.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

CODEBOOK = "kepmenpan_63_2003"
HASHING_REF = "bench.hashing_embedder:hashing_embedder"


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            out += [int(child), *_children(int(child))]
    return out


def cpu_seconds() -> float:
    """CPU time of this process and its live descendants (the Prefect server is one).

    On a machine shared with other work, wall time depends on their load; the CPU time a run
    consumes does not, so the overhead is reported on both.
    """
    total = time.process_time()
    tick = os.sysconf("SC_CLK_TCK")
    for pid in _children(os.getpid()):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def fresh_caches(home: Path) -> None:
    """Forget every embedding computed so far: the next run pays for all of them."""
    shutil.rmtree(home / "cache", ignore_errors=True)


def reuse_models(home: Path, source_home: Path) -> None:
    """Use an already built default embedder (``source_home/models/embedders``) by linking it."""
    source = source_home / "models" / "embedders"
    target = home / "models" / "embedders"
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.symlink_to(source.resolve(), target_is_directory=True)


def ingest_all(corpus: Path, parts: Path, files_per_batch: int) -> list:
    """Every batch of ``corpus`` through ingest (reusing parts that exist), in flow order."""
    from flows.io.discover import iter_sources
    from flows.prefect.batches import ingest_batch
    from flows.prefect.code_flow import batched
    from pipeline.ingest import MAX_BYTES

    files = [str(p) for p in iter_sources([corpus])]
    return [ingest_batch(chunk, parts, MAX_BYTES) for chunk in batched(files, files_per_batch)]


def plain_run(
    corpus: Path, out: Path, version: str, files_per_batch: int, embedder_ref: str | None
) -> float:
    """The flow's batch functions in a plain loop: what the work costs without Prefect."""
    from flows.prefect.assemble import assemble
    from flows.prefect.batches import WorkDir, code_batch
    from flows.prefect.resources import resolve_embedder
    from pipeline.segment.segmenter import SEGMENTER_VERSION

    started = time.perf_counter()
    work = WorkDir(out / "work", SEGMENTER_VERSION)
    batches = ingest_all(corpus, work.ingest, files_per_batch)
    for batch in batches:
        code_batch(batch, work, CODEBOOK, version, embedder_ref)
    fingerprint = resolve_embedder(embedder_ref).fingerprint
    assemble(
        batches, work, out, codebook_id=CODEBOOK, model_version=version, fingerprint=fingerprint
    )
    return time.perf_counter() - started


def flow_run(
    corpus: Path, out: Path, version: str, files_per_batch: int, embedder_ref: str | None
) -> float:
    """The same work through the Prefect flow (``code_flow``, same model version)."""
    from flows.prefect.code_flow import code_flow

    started = time.perf_counter()
    code_flow(
        paths=[str(corpus)],
        out_dir=str(out),
        codebook_id=CODEBOOK,
        model_version=version,
        embedder_ref=embedder_ref,
        files_per_batch=files_per_batch,
    )
    return time.perf_counter() - started


def _high_water_mb() -> float:
    """This process's peak RSS from ``/proc`` (``ru_maxrss`` would include the parent's: Linux
    carries it across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def findings_alone(args: list[str]) -> dict[str, float]:
    """Child process entry: the findings step on finished parts; prints seconds and peak RSS."""
    corpus, work_root, out, version, files_per_batch, embedder_ref = args
    from flows.prefect.assemble import assemble
    from flows.prefect.batches import WorkDir
    from flows.prefect.resources import resolve_embedder
    from pipeline.segment.segmenter import SEGMENTER_VERSION

    work = WorkDir(Path(work_root), SEGMENTER_VERSION)
    batches = ingest_all(Path(corpus), work.ingest, int(files_per_batch))
    ref = embedder_ref or None
    fingerprint = resolve_embedder(ref).fingerprint
    before = _high_water_mb()
    started = time.perf_counter()
    assemble(
        batches,
        work,
        Path(out),
        codebook_id=CODEBOOK,
        model_version=version,
        fingerprint=fingerprint,
    )
    seconds = time.perf_counter() - started
    peak = _high_water_mb()
    return {"seconds": seconds, "rss_before_mb": before, "peak_rss_mb": peak}


def measure_findings(
    corpus: Path, work_root: Path, out: Path, version: str, files_per_batch: int, ref: str | None
) -> dict[str, float]:
    """Run :func:`findings_alone` in a fresh interpreter and return what it measured."""
    command = [
        sys.executable,
        str(Path(__file__).with_name("bench_prefect.py")),
        "--findings-alone",
        json.dumps(
            [str(corpus), str(work_root), str(out), version, str(files_per_batch), ref or ""]
        ),
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])
