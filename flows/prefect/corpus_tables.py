"""Corpus-wide tables written by streaming the batch parts, one batch in memory at a time.

The segments and sources tables of a findings set depend on the corpus alone, not on the
model, so they are written once per corpus state into ``work/corpus/<key>/`` and linked into
every findings set made from it (a recode with a new model rewrites none of them). Writers
are Arrow ``ParquetWriter``s fed batch by batch, so no table of the whole corpus is ever
built in memory.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.io.atomic import atomic_path
from flows.io.tables import SEGMENT_SCHEMA, SOURCE_SCHEMA
from flows.prefect.batches import IngestBatch, WorkDir, read_segments, read_sources

CORPUS_DIR = "corpus"
SEGMENTS, SOURCES = "segments.parquet", "sources.parquet"
_F, _S = pa.float64(), pa.string()
CODE_SCHEMA = pa.schema(
    [
        ("segment_id", _S), ("codebook", _S), ("indicator", _S), ("indicator_score", _F),
        ("function", _S), ("function_score", _F), ("scope", _S), ("assessment", _S),
        ("model_version", _S), ("p_indicator", _F), ("p_obstacle", _F), ("p_effort", _F),
        ("p_supporting_factor", _F), ("p_other", _F),
        ("indicators", pa.list_(pa.struct([("id", _S), ("score", _F)]))),
    ]
)  # fmt: skip


def kept_mask(table: pa.Table, original: IngestBatch, kept: IngestBatch) -> np.ndarray | None:
    """Rows of ``original``'s segments that survive duplicate removal (``None``: all of them)."""
    if len(kept.sources) == len(original.sources):
        return None
    wanted = pa.array([r.source_id for r in kept.sources], type=pa.string())
    return pc.is_in(table.column("source_id"), value_set=wanted).to_numpy(zero_copy_only=False)


def batch_segments(original: IngestBatch, kept: IngestBatch) -> tuple[pa.Table, np.ndarray | None]:
    """One batch's segments (every column), duplicates of earlier batches dropped."""
    table = read_segments(original.sources)
    mask = kept_mask(table, original, kept)
    return (table if mask is None else table.filter(pa.array(mask))), mask


def write_stream(target: Path, schema: pa.Schema, tables: Iterable[pa.Table]) -> None:
    """Atomic Parquet from tables that arrive one at a time."""
    with atomic_path(target) as tmp, ExitStack() as stack:
        writer = stack.enter_context(pq.ParquetWriter(tmp, schema))
        wrote = False
        for table in tables:
            writer.write_table(table.cast(schema))
            wrote = True
        if not wrote:
            writer.write_table(schema.empty_table())


def corpus_key(batches: Sequence[IngestBatch], kept: Sequence[IngestBatch]) -> str:
    payload = "|".join(f"{b.key}:{k.key}" for b, k in zip(batches, kept, strict=True))
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def corpus_tables(
    batches: Sequence[IngestBatch], kept: Sequence[IngestBatch], work: WorkDir
) -> Path:
    """The folder holding this corpus state's segments and sources tables (written if new)."""
    folder = work.root / CORPUS_DIR / corpus_key(batches, kept)
    if not (folder / SOURCES).exists():  # sources is written last: it marks the folder done

        def segments() -> Iterator[pa.Table]:
            for original, batch in zip(batches, kept, strict=True):
                if batch.sources:
                    yield batch_segments(original, batch)[0]

        def sources() -> Iterator[pa.Table]:
            for batch in kept:
                if batch.sources:
                    yield read_sources(batch.sources)

        write_stream(folder / SEGMENTS, SEGMENT_SCHEMA, segments())
        write_stream(folder / SOURCES, SOURCE_SCHEMA, sources())
    return folder


def link(source: Path, target: Path) -> None:
    """Put ``source`` at ``target`` without copying its bytes when the file system allows."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:
        tmp.unlink()
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)


def write_jsonl(target: Path, tables: Iterable[pa.Table]) -> None:
    """JSON lines, one table at a time (the ``--table-format jsonl`` outputs)."""
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8") as handle:
        for table in tables:
            if table.num_rows:
                text = table.to_pandas().to_json(orient="records", lines=True, force_ascii=False)
                handle.write(text if text.endswith("\n") else text + "\n")
