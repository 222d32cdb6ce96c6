"""Read a run's part files batch by batch for the findings step, never the corpus at once.

The findings stage itself is pure (:class:`pipeline.findings.stream.FindingsStream`); this
module is its file side. Every pass re-reads the parts it needs, one batch at a time, with
only the columns it needs: re-reading a batch's Parquet and ``.npy`` parts costs milliseconds,
while holding 35,000 segments' records with their embeddings costs gigabytes. The same reader
then feeds the REFI-QDA export one source at a time and the codes table one batch at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.io.tables import transcripts_from_frame
from flows.prefect.batches import IngestBatch, read_segments, read_sources
from flows.prefect.corpus_tables import batch_segments, kept_mask
from pipeline.codebook.model import Codebook
from pipeline.findings.codes import code_from_row
from pipeline.findings.corpus import SourceNote
from pipeline.findings.model import Findings
from pipeline.findings.pseudonymise import NameNotes, Pseudonymiser
from pipeline.findings.stream import FindingsStream
from pipeline.records import Code, Segment, Transcript
from pipeline.refiqda.sources import SourceBundle


@dataclass
class PartsReader:
    """The kept batches of a run and where their embeddings and codes are."""

    batches: Sequence[IngestBatch]  # as ingested (part keys)
    kept: Sequence[IngestBatch]  # duplicates of earlier batches removed
    codes_dir: Path
    vectors_dir: Path
    codebook_id: str
    present: dict[str, bool] = field(default_factory=dict)  # columns not all missing
    # called with each batch's codes in pass 1, so the codes table needs no pass of its own
    code_sink: Callable[[list[Code]], None] | None = None

    def _pairs(self) -> Iterator[tuple[IngestBatch, IngestBatch]]:
        for original, batch in zip(self.batches, self.kept, strict=True):
            if batch.sources:
                yield original, batch

    def transcripts(self) -> Iterator[list[Transcript]]:
        for _, batch in self._pairs():
            yield transcripts_from_frame(read_sources(batch.sources).to_pandas())

    def vectors(self, original: IngestBatch, mask: np.ndarray | None) -> np.ndarray:
        vectors = np.load(self.vectors_dir / f"{original.key}.npy")
        return (vectors if mask is None else vectors[mask]).astype(np.float32, copy=False)

    def codes(self, original: IngestBatch, mask: np.ndarray | None) -> list[Code]:
        rows = pq.read_table(self.codes_dir / f"{original.key}.parquet", columns=["row"])
        texts = rows.column("row").to_pylist()
        if mask is not None:
            texts = [t for t, keep in zip(texts, mask.tolist(), strict=True) if keep]
        return [code_from_row(json.loads(t), self.codebook_id) for t in texts]

    def records(self) -> Iterator[tuple[list[Segment], list[Code], np.ndarray]]:
        """Pass 1: each batch's segments, codes and embeddings, aligned."""
        for original, batch in self._pairs():
            table, mask = batch_segments(original, batch)
            codes = self.codes(original, mask)
            self._note_present(codes)
            if self.code_sink is not None:
                self.code_sink(codes)
            yield [Segment(**r) for r in table.to_pylist()], codes, self.vectors(original, mask)

    def _note_present(self, codes: Sequence[Code]) -> None:
        for name, value in (
            ("indicator", any(c.indicator is not None for c in codes)),
            ("scope", any(c.scope is not None for c in codes)),
            ("assessment", any(c.assessment is not None for c in codes)),
            ("scores", any(c.function_scores for c in codes)),
        ):
            self.present[name] = self.present.get(name, False) or value

    def _mask(self, original: IngestBatch, batch: IngestBatch) -> np.ndarray | None:
        """Which of a batch's rows survive duplicate removal, from its source ids alone."""
        return kept_mask(read_segments(original.sources, columns=["source_id"]), original, batch)

    def embeddings(self) -> Iterator[np.ndarray]:
        """Pass 2: each batch's embeddings alone."""
        for original, batch in self._pairs():
            yield self.vectors(original, self._mask(original, batch))

    def segments(self, ids: set[str]) -> dict[str, Segment]:
        """Pass 3: the named segments (the quotes), by id."""
        wanted = pa.array(sorted(ids), type=pa.string())
        out: dict[str, Segment] = {}
        for original, batch in self._pairs():
            table = batch_segments(original, batch)[0]
            table = table.filter(pc.is_in(table.column("id"), value_set=wanted))
            out.update((r["id"], Segment(**r)) for r in table.to_pylist())
        return out

    def _bundles(self, number: int) -> dict[str, SourceBundle]:
        original, batch = list(self._pairs())[number]
        table, mask = batch_segments(original, batch)
        segments = [Segment(**r) for r in table.to_pylist()]
        codes = {c.segment_id: c for c in self.codes(original, mask)}
        by_source: dict[str, list[Segment]] = {}
        for segment in segments:
            by_source.setdefault(segment.source_id, []).append(segment)
        transcripts = transcripts_from_frame(read_sources(batch.sources).to_pandas())
        return {t.source.id: (t, by_source.get(t.source.id, []), codes) for t in transcripts}

    def texts(self, order: Sequence[tuple[int, str]]) -> Iterator[Transcript]:
        """Transcripts in ``order``, reading only the sources parts, one batch at a time."""
        loaded: tuple[int, dict[str, Transcript]] | None = None
        pairs = list(self._pairs())
        for number, source_id in order:
            if loaded is None or loaded[0] != number:
                table = read_sources(pairs[number][1].sources).to_pandas()
                loaded = (number, {t.source.id: t for t in transcripts_from_frame(table)})
            yield loaded[1][source_id]

    def bundles(self, order: Sequence[tuple[int, str]]) -> Iterator[SourceBundle]:
        """Sources in ``order`` ((batch number, source id) pairs), one batch loaded at a time."""
        loaded: tuple[int, dict[str, SourceBundle]] | None = None
        for number, source_id in order:
            if loaded is None or loaded[0] != number:
                loaded = (number, self._bundles(number))
            yield loaded[1][source_id]


def stream_findings(
    reader: PartsReader, codebook: Codebook
) -> tuple[Findings, Pseudonymiser, list[tuple[int, str]]]:
    """Findings in three passes over the parts; also the export's source order (by name)."""
    notes: list[SourceNote] = []
    names: list[NameNotes] = []
    order: list[tuple[int, str, str]] = []
    for number, transcripts in enumerate(reader.transcripts()):
        notes += [SourceNote.of(t) for t in transcripts]
        names += [NameNotes.of(t) for t in transcripts]
        order += [(number, t.source.id, t.source.name) for t in transcripts]
    pseudonyms = Pseudonymiser.from_notes(names)
    stream = FindingsStream(codebook, notes, pseudonyms)
    for segments, codes, vectors in reader.records():
        stream.add(segments, codes, vectors)
    stream.centroids()
    for number, vectors in enumerate(reader.embeddings()):
        stream.score(number, vectors)
    findings = stream.finish(reader.segments(stream.quote_ids()))
    by_name = sorted(order, key=lambda item: item[2])
    return findings, pseudonyms, [(n, s) for n, s, _ in by_name]
