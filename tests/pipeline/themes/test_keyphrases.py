from __future__ import annotations

from pipeline.themes.keyphrases import candidate_terms, class_tfidf, tokens
from pipeline.themes.stopwords import HARD_STOPWORDS, SOFT_STOPWORDS, STOPWORDS_ID

TEXTS = [
    "Eee anggarannya terbatas sekali pak, dana BOK tidak cukup.",
    "Kendalanya anggaran terbatas, jadi perbaikan pipa tertunda.",
    "Anggaran kami terbatas untuk operasional kantor.",
    "Ya kendala pegawai kurang de, petugas cuma dua orang.",
    "Jumlah pegawai tidak sebanding dengan pemohon, petugas kewalahan.",
    "Pegawai kami kurang dan merangkap tugas.",
    "Data DTKS sering berubah, datanya ganda.",
    "DTKS tidak valid, data ganda dan belum diperbarui.",
    "Data penerima di DTKS belum diperbarui.",
]
LABELS = [0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_each_theme_is_named_by_what_sets_it_apart():
    phrases = class_tfidf(TEXTS, LABELS, top_n=3)
    top = {label: [k.text for k in found] for label, found in phrases.items()}
    assert top[0][0] == "anggaran terbatas"
    assert "pegawai" in top[1][0]
    assert {"data", "DTKS"} <= {w for phrase in top[2] for w in phrase.split()}
    assert all(0 < k.support <= 1 for found in phrases.values() for k in found)


def test_fillers_address_words_and_generic_interview_words_never_name_a_theme():
    phrases = class_tfidf(TEXTS, LABELS, top_n=10)
    words = {w.lower() for found in phrases.values() for k in found for w in k.text.split()}
    for word in ("eee", "pak", "de", "ya", "kendala", "kami", "tidak"):
        assert word not in words


def test_phrases_stop_at_clause_boundaries_and_edges_are_content_words():
    terms, _ = candidate_terms("pegawai kurang, dana habis dan kerja berat")
    assert "kurang dana" not in terms
    assert "dan kerja" not in terms
    assert "pegawai kurang" in terms and "kerja berat" in terms
    assert "kerja" not in terms  # a soft stop word is no label alone


def test_clitic_nya_is_dropped_but_acronyms_keep_their_capitals():
    assert [n for n, _ in tokens("anggarannya KPM-nya datanya")] == ["anggaran", "kpm", "data"]
    assert [s for _, s in tokens("DTKS-nya")] == ["DTKS"]
    assert [n for n, _ in tokens("tanya hanya ditanya bertanya")] == [
        "tanya",
        "hanya",
        "ditanya",
        "bertanya",
    ]


def test_stopword_groups_do_not_overlap():
    assert not HARD_STOPWORDS & SOFT_STOPWORDS
    assert STOPWORDS_ID == HARD_STOPWORDS | SOFT_STOPWORDS
    assert "kendala" in SOFT_STOPWORDS and "eee" in HARD_STOPWORDS


def test_excluded_words_such_as_names_never_label_a_theme():
    texts = ["kirim ke Mas Fahrul format excel", "minta Fahrul format excel lagi", "lain hal"]
    labels = [0, 0, 1]
    found = class_tfidf(texts, labels, top_n=5)
    assert any("fahrul" in k.text.lower() for k in found[0])
    masked = class_tfidf(texts, labels, top_n=5, exclude=frozenset({"fahrul"}))
    assert not any("fahrul" in k.text.lower() for k in masked[0])
    assert any("excel" in k.text for k in masked[0])


def test_a_term_from_one_interview_does_not_label_a_theme_spanning_several():
    texts = [
        "jaringan putus di Pulau Lanting",
        "jaringan putus lagi di Pulau Lanting",
        "jaringan lemot",
    ]
    found = class_tfidf(texts, [0, 0, 0], groups=["a", "a", "b"], top_n=5)
    words = {w for k in found[0] for w in k.text.lower().split()}
    assert "jaringan" in words and "lanting" not in words
