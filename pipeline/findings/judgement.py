"""The rule that turns evidence about an indicator into "baik", "cukup baik", ...

The rule is deliberately simple and printed in full in every report, because a judgement an
examiner cannot reproduce by hand is worthless in a thesis. Evidence is averaged per
informant first, then across informants: qualitative studies triangulate between people, and
one talkative head of office must not outweigh five citizens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pipeline.findings.indonesian import decimal, role_label
from pipeline.findings.model import EvidenceBalance, Judgement, RoleBreakdown

INSUFFICIENT = "belum dapat dinilai"


class JudgementPolicy(Protocol):
    id: str

    def score(self, per_informant: Sequence[EvidenceBalance]) -> float | None:
        """The number the judgement is cut from; also used per informant role."""
        ...

    def judge(self, per_informant: Sequence[EvidenceBalance]) -> Judgement: ...

    def explain(self) -> str:
        """The whole rule in Indonesian, for the report's method notes."""
        ...


@dataclass(frozen=True)
class ThresholdRule:
    """Mean favourable share across informants, cut at fixed thresholds.

    An informant's favourable share is ``(positive + mixed_weight * mixed) / (positive +
    negative + mixed)``; neutral segments describe without judging and do not count.
    """

    good: float = 0.80
    fair: float = 0.60
    weak: float = 0.40
    mixed_weight: float = 0.5
    min_segments: int = 3
    min_informants: int = 2
    id: str = "informant-mean-v1"

    def informant_score(self, balance: EvidenceBalance) -> float | None:
        if balance.rated == 0:
            return None
        return (balance.positive + self.mixed_weight * balance.mixed) / balance.rated

    def score(self, per_informant: Sequence[EvidenceBalance]) -> float | None:
        scores = [s for b in per_informant if (s := self.informant_score(b)) is not None]
        return sum(scores) / len(scores) if scores else None

    def judge(self, per_informant: Sequence[EvidenceBalance]) -> Judgement:
        rated_informants = sum(1 for b in per_informant if b.rated > 0)
        rated_segments = sum(b.rated for b in per_informant)
        score = self.score(per_informant)
        if (
            score is None
            or rated_segments < self.min_segments
            or rated_informants < self.min_informants
        ):
            return Judgement(
                INSUFFICIENT,
                0,
                None if score is None else round(score, 4),
                f"Bukti yang menilai baru {rated_segments} segmen dari {rated_informants} "
                f"informan; aturan ini memerlukan sedikitnya {self.min_segments} segmen dari "
                f"{self.min_informants} informan.",
            )
        label, level, band = self._band(score)
        reason = (
            f"Skor {decimal(score)} (rata-rata {rated_informants} informan atas "
            f"{rated_segments} segmen yang menilai) berada pada rentang {band}, "
            f"sehingga dinilai {label}."
        )
        return Judgement(label, level, round(score, 4), reason)

    def _band(self, score: float) -> tuple[str, int, str]:
        if score >= self.good:
            return "baik", 4, f"≥ {decimal(self.good)}"
        if score >= self.fair:
            return "cukup baik", 3, f"{decimal(self.fair)}–<{decimal(self.good)}"
        if score >= self.weak:
            return "belum optimal", 2, f"{decimal(self.weak)}–<{decimal(self.fair)}"
        return "kurang baik", 1, f"< {decimal(self.weak)}"

    def explain(self) -> str:
        """The rule in Indonesian, as printed in the report's method notes."""
        return (
            "Setiap segmen yang dikodekan ke suatu indikator diberi penilaian positif, negatif, "
            "campuran atau netral. Untuk setiap informan dihitung proporsi bukti yang mendukung: "
            f"(positif + {decimal(self.mixed_weight, 1)} × campuran) / (positif + negatif + "
            "campuran); segmen netral tidak dihitung. Skor indikator adalah rata-rata proporsi "
            "itu atas semua informan, sehingga setiap informan berbobot sama berapa pun "
            f"panjang jawabannya. Skor ≥ {decimal(self.good)} dinilai «baik», "
            f"{decimal(self.fair)} sampai di bawah {decimal(self.good)} «cukup baik», "
            f"{decimal(self.weak)} sampai di bawah {decimal(self.fair)} «belum optimal», dan di "
            f"bawah {decimal(self.weak)} «kurang baik». Bila bukti yang menilai kurang dari "
            f"{self.min_segments} segmen atau berasal dari kurang dari {self.min_informants} "
            f"informan, indikator dinyatakan «{INSUFFICIENT}»."
        )


OFFICIAL_ROLES = frozenset({"head", "staff", "operator", "facilitator"})


def divergence_note(by_role: Sequence[RoleBreakdown], gap: float = 0.4) -> str | None:
    """A sentence when citizens judge an indicator very differently from officials.

    Triangulation is the point of interviewing both sides; a large gap is itself a finding.
    """
    officials = [r for r in by_role if r.role_category in OFFICIAL_ROLES and r.score is not None]
    citizens = [r for r in by_role if r.role_category == "citizen" and r.score is not None]
    if not officials or not citizens:
        return None
    n_off = sum(r.n_informants for r in officials)
    official = sum(r.score * r.n_informants for r in officials if r.score is not None) / n_off
    citizen = citizens[0].score
    assert citizen is not None
    if abs(official - citizen) < gap:
        return None
    direction = "lebih rendah" if citizen < official else "lebih tinggi"
    return (
        f"Penilaian {role_label('citizen').lower()} ({decimal(citizen)}) jauh {direction} "
        f"daripada penilaian aparatur ({decimal(official)})."
    )
