"""A tiny constructed study with known answers, shared by the findings, report and export tests.

Six interviews about a (fictional) ID-card service. Obstacle themes are known by construction:
budget, staff shortage and network trouble; effort themes answer them one to one (extra budget
proposal, volunteers, backup connection), and every interview that mentions an effort also
mentions the obstacle it answers. Embeddings are random but clustered: each theme has its own
centre, so clustering must recover the themes from the vectors, while the texts make the
keyphrases and taxonomy checkable. Names are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.codebook.model import Codebook, Indicator
from pipeline.records import (
    Code,
    IndicatorScore,
    InterviewMeta,
    Segment,
    SourceInfo,
    Transcript,
    Turn,
)
from pipeline.segment import normalize_colloquial

DIM = 32

CODEBOOK = Codebook(
    id="mini",
    name="Kinerja Pegawai (uji)",
    theory="Teori uji",
    citation="Penulis (2024). Buku Uji. Jakarta: Penerbit.",
    description="Kodebuku kecil untuk pengujian.",
    indicators=(
        Indicator("kualitas_kerja", "Kualitas Kerja", "Mutu hasil kerja.", ("hasil kerja",)),
        Indicator("ketepatan_waktu", "Ketepatan Waktu", "Selesai sesuai jadwal."),
        Indicator("komunikasi", "Komunikasi", "Penyampaian informasi."),
    ),
    format_version=1,
    source="test",
)


@dataclass(frozen=True)
class Answer:
    text: str
    function: str = "indicator"
    indicator: str | None = None
    assessment: str | None = None
    scope: str | None = None
    theme: str | None = None


# theme id -> (centre seed, obstacle partner for efforts)
THEMES = {
    "budget": 1,
    "staff": 2,
    "network": 3,
    "propose_budget": 4,
    "volunteers": 5,
    "backup": 6,
    "quality": 7,
    "time": 8,
    "comm": 9,
}
ANSWERS_FOR = {"propose_budget": "budget", "volunteers": "staff", "backup": "network"}

INTERVIEWS: tuple[tuple[InterviewMeta, tuple[Answer, ...]], ...] = (
    (
        InterviewMeta(
            informant="Bapak Drs. Hendra Wijaya", role="Kepala Dinas", role_category="head"
        ),
        (
            Answer(
                "Hasil kerja pegawai kami sudah bagus, berkas KTP rapi dan jarang salah.",
                indicator="kualitas_kerja",
                assessment="positive",
                theme="quality",
            ),
            Answer(
                "Anggaran operasional kami terbatas sekali, dana untuk blanko tidak cukup.",
                "obstacle",
                scope="internal",
                theme="budget",
            ),
            Answer(
                "Kami sudah mengusulkan tambahan anggaran ke bupati lewat usulan anggaran perubahan.",
                "effort",
                theme="propose_budget",
            ),
            Answer(
                "Pegawai kami kurang, petugas perekaman cuma dua orang untuk seluruh kecamatan.",
                "obstacle",
                scope="internal",
                theme="staff",
            ),
            Answer(
                "Untuk itu kami merekrut relawan dan tenaga honorer tambahan di loket.",
                "effort",
                theme="volunteers",
            ),
        ),
    ),
    (
        InterviewMeta(
            informant="Ibu Sri Rahayu", role="Kepala Bidang Pelayanan", role_category="head"
        ),
        (
            Answer(
                "Mutu pekerjaan teman-teman baik, datanya teliti dan lengkap.",
                indicator="kualitas_kerja",
                assessment="positive",
                theme="quality",
            ),
            Answer(
                "Penyelesaian KTP kadang terlambat karena menunggu blanko dari pusat.",
                indicator="ketepatan_waktu",
                assessment="negative",
                theme="time",
            ),
            Answer(
                "Dana pemeliharaan alat perekaman terbatas, anggaran kami dipotong tahun ini.",
                "obstacle",
                scope="internal",
                theme="budget",
            ),
            Answer(
                "Kami usulkan anggaran tambahan dan prioritaskan belanja blanko.",
                "effort",
                theme="propose_budget",
            ),
            Answer(
                "Jaringan internet sering putus sehingga aplikasi perekaman error.",
                "obstacle",
                scope="internal",
                theme="network",
            ),
            Answer(
                "Kami pasang jaringan cadangan dan modem tambahan supaya aplikasi tetap jalan.",
                "effort",
                theme="backup",
            ),
        ),
    ),
    (
        InterviewMeta(informant="Budi Santoso", role="Staf Pelayanan", role_category="staff"),
        (
            Answer(
                "Kerja kami teliti, hasilnya sesuai dengan tujuan program.",
                indicator="kualitas_kerja",
                assessment="positive",
                theme="quality",
            ),
            Answer(
                "Petugas kurang, satu orang merangkap operator dan loket, beban kerja berat.",
                "obstacle",
                scope="internal",
                theme="staff",
            ),
            Answer(
                "Sekarang dibantu relawan dan honorer baru, jadi beban kerja berkurang.",
                "effort",
                theme="volunteers",
            ),
            Answer(
                "Sinyal jaringan lemah, server aplikasi sering down.",
                "obstacle",
                scope="internal",
                theme="network",
            ),
            Answer(
                "Kalau jaringan mati kami pakai modem cadangan dari kantor.",
                "effort",
                theme="backup",
            ),
        ),
    ),
    (
        InterviewMeta(informant="Rudi Hartono", role="Operator SIAK", role_category="operator"),
        (
            Answer(
                "Data yang kami input sudah benar semua, jarang ada salah ketik.",
                indicator="kualitas_kerja",
                assessment="positive",
                theme="quality",
            ),
            Answer(
                "Jaringan internet di kantor lambat dan aplikasi sering error.",
                "obstacle",
                scope="internal",
                theme="network",
            ),
            Answer(
                "Kami minta jaringan cadangan dan modem supaya perekaman tidak berhenti.",
                "effort",
                theme="backup",
            ),
            Answer(
                "Jadwal penyelesaian sering molor, warga menunggu lama.",
                indicator="ketepatan_waktu",
                assessment="negative",
                theme="time",
            ),
        ),
    ),
    (
        InterviewMeta(
            informant="Ibu Masitah", role="Warga penerima layanan", role_category="citizen"
        ),
        (
            Answer(
                "Pelayanannya lama, KTP saya terlambat sampai dua bulan.",
                indicator="ketepatan_waktu",
                assessment="negative",
                theme="time",
            ),
            Answer(
                "Hasilnya bagus, data di KTP saya benar dan rapi.",
                indicator="kualitas_kerja",
                assessment="positive",
                theme="quality",
            ),
            Answer(
                "Kata petugas pegawainya kurang, cuma dua orang yang melayani.",
                "obstacle",
                scope="internal",
                theme="staff",
            ),
            Answer(
                "Sekarang ada relawan yang membantu di loket, antrean lebih cepat.",
                "effort",
                theme="volunteers",
            ),
            Answer(
                "Petugasnya menjelaskan syarat dengan jelas waktu saya datang.",
                indicator="komunikasi",
                assessment="positive",
                theme="comm",
            ),
        ),
    ),
    (
        InterviewMeta(informant="Pak Joko", role="Masyarakat", role_category="citizen"),
        (
            Answer(
                "Waktunya tidak tepat, dijanjikan seminggu tapi molor sebulan.",
                indicator="ketepatan_waktu",
                assessment="negative",
                theme="time",
            ),
            Answer(
                "Kualitas kerjanya lumayan, tapi nama saya sempat salah ketik.",
                indicator="kualitas_kerja",
                assessment="mixed",
                theme="quality",
            ),
            Answer(
                "Katanya anggaran untuk blanko terbatas, dana dari pusat belum turun.",
                "obstacle",
                scope="external",
                theme="budget",
            ),
            Answer(
                "Saya dengar dinas sudah usulkan tambahan anggaran ke pemerintah daerah.",
                "effort",
                theme="propose_budget",
            ),
            Answer("Terima kasih, sama-sama.", "other"),
        ),
    ),
)


@dataclass(frozen=True)
class Study:
    transcripts: tuple[Transcript, ...]
    segments: tuple[Segment, ...]
    codes: tuple[Code, ...]
    embeddings: np.ndarray
    themes: tuple[str | None, ...]
    codebook: Codebook = CODEBOOK


def _centres(rng: np.random.Generator) -> dict[str, np.ndarray]:
    base = {name: rng.normal(size=DIM) for name in THEMES}
    for effort, obstacle in ANSWERS_FOR.items():
        base[effort] = 0.5 * base[obstacle] + base[effort]
    return {name: v / np.linalg.norm(v) for name, v in base.items()}


def build_study(seed: int = 7, noise: float = 0.25) -> Study:
    rng = np.random.default_rng(seed)
    centres = _centres(rng)
    transcripts, segments, codes, rows, themes = [], [], [], [], []
    for number, (meta, answers) in enumerate(INTERVIEWS):
        lines = [f"Informan: {meta.informant}", f"Jabatan: {meta.role}", ""]
        turns: list[Turn] = []
        offset = sum(len(line) + 1 for line in lines)
        spans = []
        for answer in answers:
            question = "P: Bagaimana menurut Bapak/Ibu?"
            lines.append(question)
            turns.append(Turn(len(turns), "P", "interviewer", offset + 3, offset + len(question)))
            offset += len(question) + 1
            line = f"I: {answer.text}"
            lines.append(line)
            start = offset + 3
            turns.append(
                Turn(
                    len(turns),
                    "I",
                    "informant",
                    start,
                    start + len(answer.text),
                    role=meta.role,
                    role_category=meta.role_category,
                )
            )
            spans.append((len(turns) - 1, start, start + len(answer.text)))
            offset += len(line) + 1
        text = "\n".join(lines) + "\n"
        sha = f"{number:02d}" * 32
        source = SourceInfo(
            f"/data/wawancara_{number + 1}.txt",
            f"wawancara_{number + 1}.txt",
            "txt",
            sha,
            len(text),
        )
        transcript = Transcript(source, text, meta, tuple(turns), "p_i")
        transcripts.append(transcript)
        for answer, (turn_index, start, end) in zip(answers, spans, strict=True):
            assert text[start:end] == answer.text
            segment = Segment(
                id=f"{source.id}:{start}-{end}",
                source_id=source.id,
                source_name=source.name,
                turn_index=turn_index,
                speaker="I",
                speaker_kind="informant",
                role=meta.role,
                role_category=meta.role_category,
                start=start,
                end=end,
                text=answer.text,
                normalized=normalize_colloquial(answer.text),
                question="Bagaimana menurut Bapak/Ibu?",
                n_sentences=1,
            )
            segments.append(segment)
            codes.append(_code(segment.id, answer))
            centre = centres[answer.theme] if answer.theme else rng.normal(size=DIM)
            rows.append(centre + noise * rng.normal(size=DIM) / np.sqrt(DIM))
            themes.append(answer.theme)
    return Study(
        tuple(transcripts),
        tuple(segments),
        tuple(codes),
        np.array(rows, dtype=np.float32),
        tuple(themes),
    )


def _code(segment_id: str, answer: Answer) -> Code:
    functions = ("indicator", "obstacle", "effort", "supporting_factor", "other")
    scores = tuple((f, 0.85 if f == answer.function else 0.0375) for f in functions)
    return Code(
        segment_id=segment_id,
        codebook=CODEBOOK.id,
        indicator=answer.indicator,
        indicator_score=0.8 if answer.indicator else 0.0,
        indicators=tuple(
            IndicatorScore(i, 0.8 if i == answer.indicator else 0.1) for i in CODEBOOK.indicator_ids
        ),
        function=answer.function,  # type: ignore[arg-type]
        function_scores=scores,
        scope=answer.scope,  # type: ignore[arg-type]
        assessment=(answer.assessment or "neutral") if answer.indicator else None,  # type: ignore[arg-type]
        model_version="test-1",
    )
