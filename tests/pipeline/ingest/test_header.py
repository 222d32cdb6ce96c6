import pytest

from pipeline.ingest.header import parse_date, parse_header
from pipeline.ingest.roles import categorize_role


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Selasa, 14 Januari 2025", "2025-01-14"),
        ("14/01/2025", "2025-01-14"),
        ("3 Agt 2024", "2024-08-03"),
        ("2024-11-05", "2024-11-05"),
        ("Kamis, 7 Nopember 2024 pukul 10.00 WITA", "2024-11-07"),
        ("besok pagi", None),
    ],
)
def test_indonesian_dates(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_header_block_with_title_and_separator() -> None:
    text = (
        "TRANSKRIP WAWANCARA\n"
        "Narasumber: Ibu Rahmawati\n"
        "Peran: Operator SIK-NG Desa Sungai Rangas\n"
        "Unit Kerja: Dinas Sosial Kab. Banjar\n"
        "Hari/Tanggal: Senin, 3 Maret 2025\n"
        "Lokasi: Kantor Desa\n"
        "Peneliti: Andi Saputra\n"
        "===\n"
        "P: Selamat siang Bu."
    )
    header = parse_header(text)
    meta = header.meta
    assert meta.informant == "Ibu Rahmawati"
    assert meta.role_category == "operator"
    assert meta.office == "Dinas Sosial Kab. Banjar"
    assert meta.date == "2025-03-03"
    assert meta.place == "Kantor Desa"
    assert meta.interviewer == "Andi Saputra"
    assert text[header.end :].startswith("P: Selamat")


def test_speech_that_uses_header_words_is_not_a_header() -> None:
    text = "Peneliti: Selamat pagi, Bu.\nInforman: Pagi, Pak.\nPeneliti: Boleh mulai?"
    assert parse_header(text).end == 0


@pytest.mark.parametrize(
    ("role", "category"),
    [
        ("Kepala Dinas Sosial", "head"),
        ("Kabid Linjamsos", "head"),
        ("Camat Pelaihari", "head"),
        ("Operator Desa", "operator"),
        ("operator SIAK", "operator"),
        ("Pendamping PKH", "facilitator"),
        ("Staf Bidang Dafduk", "staff"),
        ("Penerima bantuan PKH", "citizen"),
        ("warga pemohon KTP-el", "citizen"),
        ("", "unknown"),
    ],
)
def test_role_categories(role: str, category: str) -> None:
    assert categorize_role(role) == category
