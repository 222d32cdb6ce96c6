from pipeline.ingest import read_transcript
from pipeline.segment import SpacySegmenter

TEXT = """Informan: Bu Wati
Jabatan: Operator SIK-NG
Tanggal: 4 Maret 2025

P: Gimana proses update data DTKS di desa, Bu?
I: Eee... kalo update itu tiap bulan, de. Datanya dikirim ke dinas lewat aplikasi SIK-NG. Jadi harus teliti.
Kemudian jaringan di desa kami itu lemot banget, kadang seharian ngga bisa login. Makanya saya sering ke kecamatan.
P: Oh begitu. Ada pelatihan?
I: Iya.
P: Dari dinas?
I: Pernah sekali tahun lalu, Bu Rina dari dinas yang ngasih materi dll. Jadi lumayan terbantu.
"""


def _segments():
    t = read_transcript(TEXT.encode(), "op.txt")
    return t, SpacySegmenter().segment(t)


def test_segments_are_exact_slices_of_the_canonical_text() -> None:
    t, segments = _segments()
    assert segments
    for seg in segments:
        assert t.text[seg.start : seg.end] == seg.text
        assert seg.id == f"{t.source.id}:{seg.start}-{seg.end}"


def test_only_informant_speech_is_segmented_with_question_context() -> None:
    _, segments = _segments()
    assert {s.speaker for s in segments} == {"I"}
    assert segments[0].question == "Gimana proses update data DTKS di desa, Bu?"
    assert segments[-1].question == "Dari dinas?"
    assert all(s.role_category == "operator" for s in segments)


def test_points_are_split_and_normalised_copy_kept_separately() -> None:
    _, segments = _segments()
    texts = [s.text for s in segments]
    assert any(t.startswith("Kemudian jaringan") for t in texts)
    jaringan = next(s for s in segments if s.text.startswith("Kemudian jaringan"))
    assert "tidak bisa" in jaringan.normalized and "ngga" in jaringan.text


def test_abbreviation_ends_a_sentence_only_before_a_capital() -> None:
    _, segments = _segments()
    last = segments[-1]
    assert last.text.startswith("Pernah sekali") and last.text.endswith("terbantu.")
    assert last.n_sentences == 2


def test_segment_ids_are_stable_across_runs() -> None:
    _, first = _segments()
    _, second = _segments()
    assert [s.id for s in first] == [s.id for s in second]
