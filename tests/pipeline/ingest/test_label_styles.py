"""Every speaker-label style from DOMAIN.md, and the offsets every later stage relies on."""

import pytest

from pipeline.ingest import read_transcript
from pipeline.ingest.labelled_text import NO_LABELS_WARNING

HEADER = "Informan: Bapak Rudi\nJabatan: Kepala Bidang Linjamsos\nTanggal: 5 Mei 2025\n\n"


def _transcript(body: str, header: str = HEADER):
    return read_transcript((header + body).encode("utf-8"), "w.txt")


@pytest.mark.parametrize(
    ("body", "style", "interviewer", "informant"),
    [
        ("P: Apa kabar?\nI: Baik.\nP: Lanjut?\nI: Silakan.", "p_i", "P", "I"),
        (
            "Peneliti: Bagaimana datanya?\nInforman: Datanya sering berubah.\n",
            "peneliti_informan",
            "Peneliti",
            "Informan",
        ),
        (
            "Pewawancara: Siapa yang input?\nNarasumber: Operator desa.\n",
            "pewawancara_narasumber",
            "Pewawancara",
            "Narasumber",
        ),
        ("T: Berapa lama?\nJ: Tiga hari.\nT: Oh begitu?\nJ: Iya.", "t_j", "T", "J"),
        (
            "[Peneliti] Apakah cepat?\n[Ibu Masitah] Cepat, de.\n",
            "bracket",
            "Peneliti",
            "Ibu Masitah",
        ),
        ("(Peneliti): Apakah cepat?\n(Warga): Lumayan.\n", "bracket", "Peneliti", "Warga"),
        (
            "[00:12:31] Peneliti: Kapan mulai?\n[00:12:40] Camat: Sejak Januari.\n",
            "timestamped_named",
            "Peneliti",
            "Camat",
        ),
        (
            "**Peneliti:** Bagaimana?\n**Informan:** Sudah baik.\n",
            "peneliti_informan",
            "Peneliti",
            "Informan",
        ),
    ],
)
def test_label_styles(body: str, style: str, interviewer: str, informant: str) -> None:
    t = _transcript(body)
    assert t.label_style == style
    assert [turn.kind for turn in t.turns][:2] == ["interviewer", "informant"]
    assert t.turns[0].speaker == interviewer
    assert t.turns[1].speaker == informant
    assert not t.warnings
    for turn in t.turns:
        speech = t.text[turn.start : turn.end]
        assert speech == speech.strip() and speech
        assert not speech.startswith((":", "]", ")", "*"))


def test_timestamps_are_kept_per_turn() -> None:
    t = _transcript("[00:12:31] Peneliti: Kapan mulai?\n[00:12:40] Camat: Sejak Januari.\n")
    assert t.turns[0].time_start == 12 * 60 + 31
    assert t.turns[1].time_start == 12 * 60 + 40
    assert t.turns[0].time_end == 12 * 60 + 40


def test_named_speakers_interviewer_found_by_questions() -> None:
    body = (
        "Speaker 1: Bagaimana pelayanan di sini?\n"
        "Speaker 2: Sudah cukup cepat menurut saya.\n"
        "Speaker 1: Ada kendala?\n"
        "Speaker 2: Jaringan kadang putus.\n"
    )
    t = _transcript(body, header="")
    assert [turn.kind for turn in t.turns] == ["interviewer", "informant"] * 2


def test_role_label_gives_the_informant_role() -> None:
    t = _transcript(
        "Peneliti: Apa kendalanya?\nOperator Desa: Sinyal susah.\nPeneliti: Oke?\nOperator Desa: Iya."
    )
    assert t.turns[1].role == "Operator Desa"
    assert t.turns[1].role_category == "operator"


def test_colon_inside_speech_is_not_a_new_turn() -> None:
    body = "P: Apa kendalanya?\nI: Ada dua.\nContohnya: data berubah.\nP: Lalu?\nI: Itu saja."
    t = _transcript(body)
    assert len(t.turns) == 4
    assert t.text[t.turns[1].start : t.turns[1].end] == "Ada dua.\nContohnya: data berubah."


def test_unknown_style_falls_back_to_informant_speech_with_a_warning() -> None:
    body = "Menurut beliau pelayanan sudah baik.\n\nNamun data sering terlambat diperbarui."
    t = _transcript(body)
    assert t.label_style == "none"
    assert t.warnings == (NO_LABELS_WARNING,)
    assert [turn.kind for turn in t.turns] == ["informant"]
    assert t.turn_text(t.turns[0]) == body
    assert t.meta.informant == "Bapak Rudi"
