"""The streaming assemble writes exactly what the in-memory findings path writes.

The reference below is the findings step as it was before streaming: every part read into
one table, converted through pandas, findings built by ``build_findings`` with every segment,
code and embedding in memory, every table and the REFI-QDA project written in one piece.
Both run on the same parts (a small corpus with a duplicate in a later batch, so the
duplicate filter is exercised), with plain functions: no Prefect needed.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from tests.flows.prefect.conftest import CODEBOOK, EMBEDDER_REF

TABLES = ("segments", "codes", "indicators", "themes", "links")


def in_memory_findings(
    batches: list, work: object, out: Path, version: str, fmt: str, export: object = None
) -> None:
    from flows.findings_write import write_findings
    from flows.io.tables import segments_from_frame, transcripts_from_frame, write_arrow
    from flows.prefect.assemble import _duplicates
    from flows.prefect.batches import read_codes_frame, read_segments, read_sources
    from flows.prefect.resources import resolve_embedder
    from models.codebooks import load_codebook
    from pipeline.findings import build_findings
    from pipeline.findings.codes import codes_from_rows

    fingerprint = resolve_embedder(EMBEDDER_REF).fingerprint
    kept, _ = _duplicates(batches)
    tables, vectors, rows = [], [], []
    for original, batch in zip(batches, kept, strict=True):
        if not batch.sources:
            continue
        table = read_segments(original.sources)
        batch_vectors = np.load(work.embeddings(fingerprint) / f"{original.key}.npy")
        frame = read_codes_frame(
            work.codes(CODEBOOK, version, fingerprint) / f"{original.key}.parquet"
        )
        mask = np.isin(table.column("source_id").to_numpy(zero_copy_only=False),
                       [r.source_id for r in batch.sources])  # fmt: skip
        tables.append(table.filter(pa.array(mask)))
        vectors.append(batch_vectors[mask])
        rows.append(frame[mask])
    segments_table = pa.concat_tables(tables)
    segments = segments_from_frame(segments_table.to_pandas())
    refs = [r for b in kept for r in b.sources]
    transcripts = transcripts_from_frame(read_sources(refs).to_pandas())
    codebook = load_codebook(CODEBOOK)
    codes = codes_from_rows([r for f in rows for r in f.to_dict("records")], codebook.id)
    findings = build_findings(transcripts, segments, codes, np.concatenate(vectors), codebook)
    write_findings(out, findings, transcripts, segments, codes, codebook=codebook,
                   table_format=fmt, export_options=export)  # fmt: skip
    write_arrow(read_sources(refs), out / "ingest" / "sources.parquet")
    write_arrow(segments_table, out / "ingest" / "segments.parquet")


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_streaming_assemble_equals_the_in_memory_path(
    corpus: Path, trained_version: str, tmp_path: Path, fmt: str
) -> None:
    from flows.io.tables import read_table
    from flows.prefect.assemble import assemble
    from flows.prefect.batches import WorkDir, code_batch, ingest_batch
    from flows.prefect.resources import resolve_embedder
    from pipeline.ingest import MAX_BYTES
    from pipeline.refiqda import ExportOptions
    from pipeline.segment.segmenter import SEGMENTER_VERSION

    files = sorted(str(p) for p in corpus.iterdir())
    shutil.copy(files[0], tmp_path / "zz_copy.txt")  # a duplicate in the last batch
    files.append(str(tmp_path / "zz_copy.txt"))
    work = WorkDir(tmp_path / "work", SEGMENTER_VERSION)
    batches = [ingest_batch([f], work.ingest, MAX_BYTES) for f in files]
    for batch in batches:
        code_batch(batch, work, CODEBOOK, trained_version, EMBEDDER_REF)
    fingerprint = resolve_embedder(EMBEDDER_REF).fingerprint
    streamed, reference = tmp_path / "streamed", tmp_path / "reference"
    export = ExportOptions(created=datetime(2025, 3, 1, 9, 30, tzinfo=UTC))
    result = assemble(batches, work, streamed, codebook_id=CODEBOOK, export_options=export,
                      model_version=trained_version, fingerprint=fingerprint, table_format=fmt)  # fmt: skip
    in_memory_findings(batches, work, reference, trained_version, fmt, export)

    assert [s.code for s in result.skipped] == ["E109"]
    assert json.loads((streamed / "findings.json").read_text()) == json.loads(
        (reference / "findings.json").read_text()
    )
    for name in TABLES:
        pd.testing.assert_frame_equal(
            read_table(streamed / "tables" / f"{name}.{fmt}"),
            read_table(reference / "tables" / f"{name}.{fmt}"),
        )
    for name in ("segments", "sources"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(streamed / "ingest" / f"{name}.parquet"),
            pd.read_parquet(reference / "ingest" / f"{name}.parquet"),
        )
    for name in ("report.md", "report.html"):
        assert (streamed / name).read_text() == (reference / name).read_text()
    assert (streamed / "codebook.qdc").read_bytes() == (reference / "codebook.qdc").read_bytes()
    with (
        zipfile.ZipFile(streamed / "project.qdpx") as ours,
        zipfile.ZipFile(reference / "project.qdpx") as theirs,
    ):
        assert ours.namelist() == theirs.namelist()
        assert b"PlainTextSelection" in ours.read("project.qde")
        for name in ours.namelist():  # the project written source by source, byte for byte
            assert ours.read(name) == theirs.read(name), name

    # Another findings set of the same corpus links the corpus tables instead of rewriting them.
    again = tmp_path / "again"
    assemble(batches, work, again, codebook_id=CODEBOOK, model_version=trained_version,
             fingerprint=fingerprint, table_format=fmt)  # fmt: skip
    for name in ("segments", "sources"):
        first = streamed / "ingest" / f"{name}.parquet"
        assert os.stat(first).st_ino == os.stat(again / "ingest" / f"{name}.parquet").st_ino
