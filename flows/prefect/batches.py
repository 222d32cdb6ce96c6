"""Per-batch work of the Prefect flows, as plain functions over part files (no Prefect here).

A run keeps everything it computes in a work directory, one atomic part file per batch:

- ``ingest/<segmenter>/<key>.{segments,sources}.parquet``: the same part format as
  :mod:`flows.ingest_run`, keyed by the content hashes of a batch's sources; a source already
  in any part is never parsed again, whichever batch or run it came from.
- ``embeddings/<embedder>/<segment batch key>.npy``: vectors of one batch of segments.
- ``codes/<codebook>/<model version>/<embedder>/<segment batch key>.parquet``: the classifier's
  rows for the same segments.

A part's presence means its work is done, so a killed run resumes where it stopped and a
re-run or a recode with a new classifier recomputes only what its keys say changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.classify_run import classify_texts
from flows.embed_stage import embed_model_texts
from flows.ingest_run import Skipped, finished_sources, read_source_bytes
from flows.io.atomic import atomic_path
from flows.io.tables import (
    SEGMENT_SCHEMA,
    SOURCE_SCHEMA,
    segments_table,
    sources_table,
    write_arrow,
)
from flows.prefect.resources import cached_model, resolve_embedder, shared_segmenter
from models.classify.coder import SegmentClassifier
from models.embedding import EmbeddingCache
from models.embedding.protocol import Embedder
from pipeline.errors import Errors, IngestError, TelaahError
from pipeline.ingest import read_transcript
from pipeline.records import Transcript

log = logging.getLogger(__name__)
_SEGMENT_LOCK = threading.Lock()  # one spaCy pipeline per process; it is not thread-safe


def slug(value: str) -> str:
    """A directory name for an id that may be a path (codebooks) or a long fingerprint."""
    clean = re.sub(r"[^A-Za-z0-9_.-]+", "_", value).strip("_.")
    if len(clean) <= 40 and clean == value:
        return clean
    return f"{clean[:24]}-{hashlib.sha256(value.encode()).hexdigest()[:12]}"


@dataclass(frozen=True)
class WorkDir:
    """Where one corpus's parts live; shared by runs and recodes of that corpus."""

    root: Path
    segmenter_version: str

    @property
    def ingest(self) -> Path:
        return self.root / "ingest" / self.segmenter_version

    def embeddings(self, fingerprint: str) -> Path:
        return self.root / "embeddings" / slug(fingerprint)

    def codes(self, codebook_id: str, version: str, fingerprint: str) -> Path:
        return self.root / "codes" / slug(codebook_id) / version / slug(fingerprint)


@dataclass(frozen=True)
class SourceRef:
    """A source finished by ingest: its file, content hash and the part that holds it."""

    path: str
    sha256: str
    part: str

    @property
    def source_id(self) -> str:
        return self.sha256[:16]


@dataclass(frozen=True)
class IngestBatch:
    sources: tuple[SourceRef, ...]
    skipped: tuple[Skipped, ...] = ()
    reused: int = 0
    parsed: int = 0

    @property
    def key(self) -> str:
        """Names this batch's segments: their sources' hashes, in order."""
        joined = "\n".join(s.sha256 for s in self.sources)
        return hashlib.sha256(joined.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class CodedBatch:
    key: str
    n_segments: int
    embedded: bool  # vectors were computed (False: reused from a part)
    classified: bool  # codes were computed (False: reused from a part)
    stats: dict[str, float] = field(default_factory=dict)


def _skip(path: Path, exc: Exception) -> Skipped:
    if isinstance(exc, TelaahError):
        log.warning("%s", exc)
        return Skipped(str(path), exc.code.name, str(exc))
    log.error("unexpected error on %s:\n%s", path, traceback.format_exc())
    return Skipped(str(path), "E199", f"{path}: internal error ({exc!r}); please report it")


def ingest_batch(
    files: Sequence[str], parts: Path, max_bytes: int, known: dict[str, str] | None = None
) -> IngestBatch:
    """Parse and segment the files no part holds yet; one part pair for the new ones.

    ``known`` maps paths to content hashes the flow already has (from its status cache): a
    file whose hash a part holds is then not even read.
    """
    parts.mkdir(parents=True, exist_ok=True)
    done = {digest: str(part) for digest, part in finished_sources(parts).items()}
    known = known or {}
    refs: list[SourceRef] = []
    skipped: list[Skipped] = []
    fresh: list[Transcript] = []
    seen: dict[str, str] = {}
    reused = 0
    for name in files:
        path = Path(name)
        try:
            digest = known.get(name, "")
            data = b""
            if digest not in done:
                data = read_source_bytes(path, max_bytes)
                digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                raise IngestError.make(
                    Errors.E109, path=name, original=seen[digest], digest=digest[:12]
                )
            seen[digest] = name
            if digest in done:
                reused += 1
                refs.append(SourceRef(name, digest, done[digest]))
                continue
            fresh.append(read_transcript(data, name, max_bytes=max_bytes))
            refs.append(SourceRef(name, digest, ""))
        except Exception as exc:  # one broken file never sinks its batch
            skipped.append(_skip(path, exc))
    if fresh:
        key = hashlib.sha256("".join(t.source.sha256 for t in fresh).encode()).hexdigest()[:16]
        with _SEGMENT_LOCK:
            groups = shared_segmenter().segment_batch(fresh)
        write_arrow(
            segments_table([s for g in groups for s in g]), parts / f"{key}.segments.parquet"
        )
        write_arrow(sources_table(fresh), parts / f"{key}.sources.parquet")  # last: marks done
        refs = [
            r if r.part else SourceRef(r.path, r.sha256, str(parts / f"{key}.sources.parquet"))
            for r in refs
        ]
    return IngestBatch(tuple(refs), tuple(skipped), reused, len(fresh))


def _rank_rows(table: pa.Table, column: str, order: Sequence[str]) -> pa.Table:
    """Rows of ``table`` whose ``column`` is in ``order``, sorted by it (stable within a key)."""
    wanted = pa.array(list(order), type=pa.string())
    table = table.filter(pc.is_in(table.column(column), value_set=wanted))
    rank = pc.index_in(table.column(column), value_set=wanted)
    table = table.append_column("__rank", rank).append_column(
        "__row", pa.array(np.arange(table.num_rows), type=pa.int64())
    )
    table = table.sort_by([("__rank", "ascending"), ("__row", "ascending")])
    return table.drop_columns(["__rank", "__row"])


def read_sources(refs: Sequence[SourceRef]) -> pa.Table:
    """The ``sources`` rows of ``refs``, in their order."""
    tables = [pq.read_table(p, schema=SOURCE_SCHEMA) for p in dict.fromkeys(r.part for r in refs)]
    if not tables:
        return SOURCE_SCHEMA.empty_table()
    combined = pa.concat_tables(tables)
    return _rank_rows(combined, "sha256", [r.sha256 for r in refs])


def read_segments(refs: Sequence[SourceRef], columns: Sequence[str] | None = None) -> pa.Table:
    """The segments of ``refs``, grouped by source in their order, each source's in text order.

    ``columns`` (``source_id`` is always read) keeps the other columns on disk.
    """
    parts = dict.fromkeys(r.part.replace(".sources.", ".segments.") for r in refs)
    schema = SEGMENT_SCHEMA
    if columns is not None:
        wanted = ["source_id", *(c for c in columns if c != "source_id")]
        schema = pa.schema([SEGMENT_SCHEMA.field(c) for c in wanted])
    tables = [pq.read_table(part, columns=schema.names, schema=schema) for part in parts]
    combined = pa.concat_tables(tables) if tables else schema.empty_table()
    return _rank_rows(combined, "source_id", [r.source_id for r in refs])


def code_batch(
    batch: IngestBatch,
    work: WorkDir,
    codebook_id: str,
    model_version: str,
    embedder_ref: str | None,
) -> CodedBatch:
    """Embed and classify one batch's segments, each step only if its part is missing."""
    embedder = resolve_embedder(embedder_ref)
    vectors_file = work.embeddings(embedder.fingerprint) / f"{batch.key}.npy"
    codes_file = (
        work.codes(codebook_id, model_version, embedder.fingerprint) / f"{batch.key}.parquet"
    )
    if codes_file.exists() and vectors_file.exists():
        n = pq.read_metadata(codes_file).num_rows
        return CodedBatch(batch.key, n, embedded=False, classified=False)
    segments = read_segments(batch.sources, columns=["id", "text"])
    texts = segments.column("text").to_pylist()
    embedded = not vectors_file.exists()
    if embedded:
        with EmbeddingCache() as cache:
            vectors = embed_model_texts(texts, embedder, cache)
        vectors_file.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(vectors_file) as tmp, tmp.open("wb") as handle:
            np.save(handle, vectors.astype(np.float32, copy=False))
    else:
        vectors = np.load(vectors_file)
    model = cached_model(codebook_id, model_version, embedder.fingerprint)
    ids = segments.column("id").to_pylist()
    rows = classify_unique(ids, texts, vectors, model, embedder, f"{codebook_id}/{model_version}")
    table = pa.table({"segment_id": pa.array(ids, type=pa.string()), "row": rows})
    write_arrow(table, codes_file)
    return CodedBatch(batch.key, len(ids), embedded=embedded, classified=True)


def classify_unique(
    ids: Sequence[str],
    texts: Sequence[str],
    vectors: np.ndarray,
    model: SegmentClassifier,
    embedder: Embedder,
    model_version: str,
) -> pa.Array:
    """The classifier's rows as JSON strings, each distinct text classified once.

    A code is a function of the text alone (its embedding is too), so repeated segments
    (short answers, boilerplate, a file ingested under two names within a batch) share one
    prediction; only the id differs between their rows.
    """
    first: dict[str, int] = {}
    slots = np.fromiter((first.setdefault(t, len(first)) for t in texts), np.int64, len(texts))
    unique = list(first)
    if not unique:
        return pa.array([], type=pa.string())
    picks = np.unique(slots, return_index=True)[1]  # each distinct text's first row
    predicted = classify_texts([""] * len(unique), unique, model, embedder, vectors[picks])
    # serialise each distinct row once; a segment's row is its id spliced in front of it
    tails = [
        json.dumps({k: v for k, v in {**r, "model_version": model_version}.items() if k != "id"},
                   default=float)[1:]
        for r in predicted
    ]  # fmt: skip
    out = [f'{{"id": {json.dumps(i)}, {tails[k]}' for i, k in zip(ids, slots.tolist(), strict=True)]
    return pa.array(out, type=pa.string())


def read_codes_frame(path: Path) -> pd.DataFrame:
    """A codes part as the classifier's rows (the ``telaah classify`` contract)."""
    table = pq.read_table(path)
    return pd.DataFrame([json.loads(r) for r in table.column("row").to_pylist()])
