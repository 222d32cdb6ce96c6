"""Group the sentences of one informant turn into coding units that each make one point.

A unit is one sentence, or a few consecutive sentences: fragments ("Iya.", "Betul, Pak.") join
their neighbour, a long monologue is cut where the speaker signals a new point ("Kemudian",
"Selain itu", "Yang kedua") or when a unit grows past a size a coder can judge at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import Errors, TelaahError

SHIFT_MARKERS = (
    "kemudian",
    "selain itu",
    "lalu",
    "terus",
    "trus",
    "yang kedua",
    "kedua",
    "ketiga",
    "keempat",
    "pertama",
    "mengenai",
    "adapun",
    "sedangkan",
    "sementara itu",
    "di sisi lain",
    "kalau soal",
    "kalo soal",
    "kalau masalah",
    "kalo masalah",
    "kalau untuk",
    "kalo untuk",
    "untuk masalah",
    "untuk soal",
    "nah kalau",
    "nah kalo",
    "satu lagi",
    "lain lagi",
    "disamping itu",
    "di samping itu",
    "selanjutnya",
    "berikutnya",
    "terakhir",
    "tambahan",
    "oh ya",
    "oh iya",
    "apalagi",
    "ada juga",
    "hambatannya",
    "kendalanya",
    "upayanya",
)
CONTINUATION_MARKERS = (
    "jadi",
    "karena",
    "sehingga",
    "makanya",
    "maka",
    "itu",
    "nah itu",
    "misalnya",
    "contohnya",
    "seperti",
    "yaitu",
    "yakni",
    "artinya",
    "apalagi kalau",
    "padahal",
    "tapi",
    "tetapi",
    "namun",
    "cuma",
    "hanya",
    "soalnya",
    "akibatnya",
    "dan",
    "atau",
)


@dataclass(frozen=True, slots=True)
class GroupingConfig:
    min_words: int = 5  # below this a sentence is a fragment and joins a neighbour
    target_words: int = 30  # a unit this long may end at a point boundary
    max_words: int = 90  # never grow a unit past this (unless one sentence is longer)
    max_sentences: int = 4

    def check(self) -> GroupingConfig:
        if not (0 < self.min_words < self.target_words <= self.max_words) or self.max_sentences < 1:
            raise TelaahError.make(Errors.E201, detail=str(self))
        return self


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    words: int
    first_words: str  # lowercased opening words, for marker checks


def _starts_with(sentence: Sentence, markers: tuple[str, ...]) -> bool:
    opening = sentence.first_words
    return any(opening == m or opening.startswith(m + " ") for m in markers)


def group_sentences(sentences: list[Sentence], config: GroupingConfig) -> list[list[Sentence]]:
    """Return groups of consecutive sentences; every sentence lands in exactly one group."""
    groups: list[list[Sentence]] = []
    current: list[Sentence] = []
    for sentence in sentences:
        if not current:
            current = [sentence]
            continue
        words = sum(s.words for s in current)
        too_big = words + sentence.words > config.max_words or len(current) >= config.max_sentences
        if words < config.min_words and not too_big:
            current.append(sentence)  # the unit so far is a fragment: keep building it
        elif too_big:
            groups.append(current)
            current = [sentence]
        elif sentence.words < config.min_words and not _starts_with(sentence, SHIFT_MARKERS):
            current.append(sentence)
        elif _starts_with(sentence, SHIFT_MARKERS):
            groups.append(current)
            current = [sentence]
        elif words < config.target_words or _starts_with(sentence, CONTINUATION_MARKERS):
            current.append(sentence)
        else:
            groups.append(current)
            current = [sentence]
    if current:
        tail_words = sum(s.words for s in current)
        if groups and tail_words < config.min_words and not _starts_with(current[0], SHIFT_MARKERS):
            prev_words = sum(s.words for s in groups[-1])
            if prev_words + tail_words <= config.max_words:
                groups[-1].extend(current)
                current = []
        if current:
            groups.append(current)
    return groups
