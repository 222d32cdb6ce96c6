"""One test per file format: turns, header and exact offsets into the canonical text."""

import json

import pytest

from pipeline.errors import Errors, IngestError
from pipeline.ingest import read_transcript
from tests.conftest import make_docx, make_odt, make_xlsx

LINES = [
    "Wawancara Kinerja Pegawai",
    "Informan: Ibu Sari",
    "Jabatan: Staf Bidang Dafduk",
    "Tanggal: 12/02/2025",
    "",
    "Peneliti: Bagaimana pelayanan KTP-el di sini?",
    "Informan: Sudah cukup cepat, Pak. Blangko kadang kosong.",
    "Peneliti: Apa upayanya?",
    "Informan: Kami jemput bola ke desa.",
]


def _check_offsets(t) -> None:
    for turn in t.turns:
        assert t.text[turn.start : turn.end].strip() == t.text[turn.start : turn.end]


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_office_documents(suffix: str) -> None:
    data = make_docx(LINES) if suffix == ".docx" else make_odt(LINES)
    t = read_transcript(data, "wawancara" + suffix)
    assert t.meta.informant == "Ibu Sari"
    assert t.meta.date == "2025-02-12"
    assert [turn.kind for turn in t.turns] == ["interviewer", "informant"] * 2
    assert t.turn_text(t.turns[1]) == "Sudah cukup cepat, Pak. Blangko kadang kosong."
    _check_offsets(t)


def test_webvtt_voices_notes_and_cue_merging() -> None:
    vtt = (
        "WEBVTT\n\nNOTE\nInforman: Drs. Hasan\nJabatan: Kepala Disdukcapil\nTanggal: 2 Juni 2025\n\n"
        "00:00:01.000 --> 00:00:03.500\n<v Pewawancara>Bagaimana capaian perekaman?</v>\n\n"
        "00:00:04.000 --> 00:00:08.000\n<v Drs. Hasan>Sudah sembilan puluh persen.\n\n"
        "00:00:08.000 --> 00:00:11.250\n<v Drs. Hasan>Sisanya warga <i>lansia</i>.\n"
    )
    t = read_transcript(vtt.encode(), "kadis.vtt")
    assert t.label_style == "webvtt"
    assert t.meta.role == "Kepala Disdukcapil"
    assert [turn.kind for turn in t.turns] == ["interviewer", "informant"]
    assert t.turn_text(t.turns[1]) == "Sudah sembilan puluh persen. Sisanya warga lansia."
    assert (t.turns[1].time_start, t.turns[1].time_end) == (4.0, 11.25)
    assert t.turns[1].role == "Kepala Disdukcapil"


def test_srt_speaker_prefixes_and_continuations() -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:02,000\nPEWAWANCARA: Berapa operator di sini?\n\n"
        "2\n00:00:02,500 --> 00:00:05,000\nOPERATOR: Cuma dua orang.\n\n"
        "3\n00:00:05,000 --> 00:00:07,000\nItupun sering lembur.\n"
    )
    t = read_transcript(srt.encode(), "op.srt")
    assert [turn.speaker for turn in t.turns] == ["PEWAWANCARA", "OPERATOR"]
    assert t.turns[1].kind == "informant" and t.turns[1].role_category == "operator"
    assert t.turn_text(t.turns[1]) == "Cuma dua orang. Itupun sering lembur."
    assert t.turns[1].time_start == 2.5


def test_csv_one_answer_per_row_several_informants() -> None:
    csv_text = (
        "informan;peran;tanggal;pertanyaan;jawaban\n"
        "Pak Udin;warga;1/3/2025;Berapa lama KTP jadi?;Seminggu lebih, de.\n"
        'Bu Ani;warga;1/3/2025;Dilayani dengan baik?;"Iya, ramah; cuma antri."\n'
    )
    t = read_transcript(csv_text.encode("cp1252"), "warga.csv")
    assert t.label_style == "table"
    assert [turn.kind for turn in t.turns] == ["interviewer", "informant"] * 2
    assert t.turn_text(t.turns[3]) == "Iya, ramah; cuma antri."
    assert t.turns[3].speaker == "Bu Ani" and t.turns[3].role_category == "citizen"
    assert t.meta.date == "2025-03-01"


def test_xlsx_with_info_sheet() -> None:
    data = make_xlsx(
        [
            ["No", "Informan", "Jabatan", "Pertanyaan", "Jawaban"],
            [1, "Rina", "Staf", "Kendala?", "Server sering down."],
        ],
        info=[["Instansi", "Disdukcapil Kab. Tanah Laut"], ["Tempat", "Pelaihari"]],
    )
    t = read_transcript(data, "staf.xlsx")
    assert t.meta.office == "Disdukcapil Kab. Tanah Laut" and t.meta.place == "Pelaihari"
    assert t.turn_text(t.turns[1]) == "Server sering down."


def test_table_without_answer_column_says_which_columns_it_found() -> None:
    with pytest.raises(IngestError) as info:
        read_transcript(b"nama,catatan\nA,B\n", "x.csv")
    assert info.value.code is Errors.E110 and "catatan" in str(info.value)


def test_jsonl_meta_and_turns() -> None:
    lines = [
        {"type": "meta", "office": "Dinas Sosial", "date": "2025-04-09", "place": "Aula"},
        {"speaker": "Moderator", "text": "Apa kendala input DTKS?", "start": 3},
        {
            "speaker": "Yanti",
            "role": "Operator Desa",
            "text": "Aplikasinya sering error.",
            "start": 9,
            "end": 15,
        },
    ]
    data = "\n".join(json.dumps(x) for x in lines).encode()
    t = read_transcript(data, "fgd.jsonl")
    assert t.meta.office == "Dinas Sosial" and t.meta.date == "2025-04-09"
    assert [turn.kind for turn in t.turns] == ["interviewer", "informant"]
    assert t.turns[1].role_category == "operator" and t.turns[1].time_end == 15


def test_jsonl_bad_line_is_named() -> None:
    with pytest.raises(IngestError) as info:
        read_transcript(b'{"text": "ok"}\n{oops\n', "x.jsonl")
    assert info.value.code is Errors.E111 and "line 2" in str(info.value)
