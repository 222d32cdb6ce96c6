"""A tiny synthetic coded corpus in the layout ``telaah code`` writes, and a fake embedder.

Interviews alternate interviewer questions and informant answers; every answer is one segment
with a seeded-random suggestion for the ``mitchell`` codebook. One answer can carry arbitrary
text (the ``<script>`` test). No model is loaded anywhere.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from flows.io.tables import segments_frame, sources_table
from pipeline.findings.codes import code_row
from pipeline.records import (
    Code,
    IndicatorScore,
    InterviewMeta,
    Segment,
    SourceInfo,
    Transcript,
    Turn,
)

INDICATORS = ("kualitas_kerja", "ketepatan_waktu", "inisiatif", "kemampuan", "komunikasi")
FUNCTIONS = ("indicator", "obstacle", "effort", "supporting_factor", "other")
ANSWERS = (
    "Pelayanan KTP sekarang sudah cepat, paling lama tiga hari selesai.",
    "Kendalanya jaringan sering putus jadi input data terlambat.",
    "Kami adakan sosialisasi ke desa supaya warga paham syaratnya.",
    "Pegawai kami kurang, satu orang pegang dua pekerjaan.",
    "Hasil kerja operator sudah rapi, jarang ada berkas yang salah.",
    "Kalo informasi dari kantor itu jelas, disampaikan lewat grup WA.",
    "Inisiatif staf bagus, mereka jemput bola ke kampung.",
    "Anggaran terbatas, printer rusak belum diganti.",
)
ROLES = (("Camat", "head"), ("Operator", "operator"), ("Warga", "citizen"), ("Staf", "staff"))


class HashEmbedder:
    """Deterministic bag-of-words hashing; implements the Embedder protocol in microseconds."""

    name = "hash-test"
    fingerprint = "hash-test-v1"
    dimension = 64

    def encode(self, texts: Sequence[str], *, prompt_name: str | None = "passage") -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def make_corpus(
    out_dir: Path,
    n_interviews: int = 4,
    answers_per: int = 5,
    special: dict[int, str] | None = None,
) -> list[Segment]:
    """Write ingest/sources.parquet, tables/segments.parquet and tables/codes.parquet."""
    rng = random.Random(7)
    special = special or {}
    transcripts, segments, codes = [], [], []
    counter = 0
    for number in range(n_interviews):
        role, category = ROLES[number % len(ROLES)]
        pieces, turns, answers = [], [], []
        cursor = 0
        for turn_no in range(answers_per * 2):
            interviewer = turn_no % 2 == 0
            if interviewer:
                body = f"Bagaimana pendapat Bapak tentang layanan nomor {turn_no // 2 + 1}?"
            else:
                body = (
                    special.get(counter)
                    or f"{ANSWERS[(counter * 3 + number) % len(ANSWERS)]} (jawaban {counter})"
                )
            label = "P: " if interviewer else "I: "
            start = cursor + len(label)
            end = start + len(body)
            pieces.append(label + body)
            turns.append(
                Turn(
                    turn_no,
                    "P" if interviewer else "I",
                    "interviewer" if interviewer else "informant",
                    start,
                    end,
                    None if interviewer else role,
                    "unknown" if interviewer else category,
                )
            )  # type: ignore[arg-type]
            if not interviewer:
                answers.append((turn_no, start, end, body, counter))
                counter += 1
            cursor = end + 1
        text = "\n".join(pieces)
        sha = hashlib.sha256(f"interview-{number}".encode()).hexdigest()
        source = SourceInfo(f"/tmp/w{number}.txt", f"wawancara_{number}.txt", "txt", sha, len(text))
        transcripts.append(
            Transcript(
                source,
                text,
                InterviewMeta(informant=f"Informan {number}", role=role, role_category=category),
                tuple(turns),
                "P/I",
            )
        )  # type: ignore[arg-type]
        for turn_no, start, end, body, index in answers:
            segment = Segment(
                f"{source.id}-{index:04d}", source.id, source.name, turn_no, "I", "informant", role,
                category, start, end, body, body, f"Bagaimana pendapat Bapak tentang layanan nomor {turn_no // 2 + 1}?", 1,  # type: ignore[arg-type]
            )  # fmt: skip
            segments.append(segment)
            weights = [rng.random() for _ in INDICATORS]
            total = sum(weights) + 0.3
            ranked = sorted(
                ((i, w / total) for i, w in zip(INDICATORS, weights, strict=True)),
                key=lambda kv: -kv[1],
            )
            fscores = [rng.random() for _ in FUNCTIONS]
            fsum = sum(fscores)
            function = FUNCTIONS[index % len(FUNCTIONS)]
            codes.append(
                Code(
                    segment.id,
                    "mitchell",
                    ranked[0][0] if function == "indicator" else None,
                    round(ranked[0][1], 4),
                    tuple(IndicatorScore(i, round(s, 4)) for i, s in ranked),
                    function,
                    tuple((f, round(s / fsum, 4)) for f, s in zip(FUNCTIONS, fscores, strict=True)),  # type: ignore[arg-type]
                    "internal" if function == "obstacle" else None,
                    "positive" if function == "indicator" else "neutral",
                    "mitchell/v1",
                )
            )
    (out_dir / "ingest").mkdir(parents=True, exist_ok=True)
    (out_dir / "tables").mkdir(parents=True, exist_ok=True)
    import pyarrow.parquet as pq

    pq.write_table(sources_table(transcripts), out_dir / "ingest" / "sources.parquet")
    segments_frame(segments).to_parquet(out_dir / "tables" / "segments.parquet", index=False)
    pd.DataFrame([code_row(c) for c in codes]).to_parquet(
        out_dir / "tables" / "codes.parquet", index=False
    )
    return [replace(s) for s in segments]
