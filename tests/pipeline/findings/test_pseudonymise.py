from __future__ import annotations

from pipeline.findings.model import Informant
from pipeline.findings.pseudonymise import Pseudonymiser, core_name
from pipeline.records import InterviewMeta, SourceInfo, Transcript, Turn


def transcript(key: str, text: str, turns, **meta) -> Transcript:
    source = SourceInfo(f"{key}.txt", f"{key}.txt", "txt", key * 64, len(text))
    return Transcript(source, text, InterviewMeta(**meta), tuple(turns), "p_i")


SPEECH = (
    "Kemarin Pak Kades Sutrisno datang. Bu Sri Yang bilang begitu. Ibu Kota jauh, Pak Camat "
    "juga tahu. Hendra sudah lapor ke Drs. H. Ahmad Yani, M.Si kemarin.\nPak Budi\nInforman: ya"
)


def corpus():
    a = transcript(
        "a",
        "x",
        [Turn(0, "P", "interviewer", 0, 1), Turn(1, "I", "informant", 0, 1)],
        informant="Bapak Drs. Hendra Wijaya, M.Si",
        interviewer="Rina Maharani",
    )
    b = transcript(
        "b",
        SPEECH,
        [
            Turn(0, "Peneliti", "interviewer", 0, 1),
            Turn(1, "Ibu Masitah (Warga)", "informant", 0, 1),
        ],
    )
    c = transcript(
        "c",
        "y",
        [
            Turn(0, "P", "interviewer", 0, 1),
            Turn(1, "Informan 1", "informant", 0, 1),
            Turn(2, "Kepala Dinas", "informant", 0, 1),
        ],
        informant="Joko",
    )
    return a, b, c


def test_informants_get_letters_from_headers_and_speaker_labels():
    a, b, c = corpus()
    pseudo = Pseudonymiser.from_transcripts([c, b, a])
    assert pseudo.informant_label(a.source.id, "I") == "Informan A"
    assert pseudo.informant_label(b.source.id, "Ibu Masitah (Warga)") == "Informan B"
    # two informant speakers and one header name: the name is not guessed onto either
    assert pseudo.informant_label(c.source.id, "Informan 1") == "Informan C"
    assert pseudo.informant_label(c.source.id, "Kepala Dinas") == "Informan D"
    assert pseudo.person(c.source.id, "Informan 1").names == ()
    assert pseudo.mapping["Hendra Wijaya"] == "Informan A"
    assert pseudo.mapping["Rina Maharani"].startswith("Sdr. ")


def test_names_in_speech_are_masked_but_roles_places_and_layout_are_kept():
    a, b, c = corpus()
    pseudo = Pseudonymiser.from_transcripts([a, b, c])
    out = pseudo.apply(SPEECH)
    for name in ("Sutrisno", "Sri", "Hendra", "Ahmad", "Yani", "Budi"):
        assert name not in out
    assert "Pak Kades " in out and "Bu " in out and " Yang bilang" in out
    assert "Ibu Kota jauh, Pak Camat juga" in out
    assert "Informan A sudah lapor" in out
    assert out.count("\n") == SPEECH.count("\n") and out.endswith("Informan: ya")


def test_the_mapping_does_not_depend_on_file_order():
    a, b, c = corpus()
    first = Pseudonymiser.from_transcripts([a, b, c])
    second = Pseudonymiser.from_transcripts([c, a, b])
    assert first.mapping == second.mapping
    assert first.apply(SPEECH) == second.apply(SPEECH)


def test_core_name_strips_honorifics_titles_degrees_and_roles():
    assert core_name("Bapak Drs. H. Ahmad Yani, M.Si") == "Ahmad Yani"
    assert core_name("Ibu Masitah (Warga)") == "Masitah"
    assert core_name("Kepala Dinas") is None
    assert core_name("informan") is None


def test_from_findings_masks_informants_and_unknown_honorific_names():
    informant = Informant("s:I", "s", "I", "Hendra Wijaya", "Camat", "head", "Informan C")
    pseudo = Pseudonymiser.from_findings([informant])
    assert pseudo.apply("Kata Hendra, Pak Darto yang urus.") == "Kata Informan C, Pak X yang urus."
    assert pseudo.informant_label("s", "I") == "Informan C"


def test_sentence_starts_after_a_form_of_address_are_not_names():
    text = "Iya, Bu. Sebelum itu saya mau tanya.\nBaik Pak\nUdah Pak Kalo gitu. Kata Bu Rina tadi."
    speaker = transcript(
        "d",
        text,
        [Turn(0, "P", "interviewer", 0, 1), Turn(1, "I", "informant", 0, 1)],
        informant="Ibu Rina Marlina",
    )
    pseudo = Pseudonymiser.from_transcripts([speaker])
    assert [p.names for p in pseudo.people] == [("Rina Marlina",)]
    out = pseudo.apply(text)
    assert "Bu. Sebelum itu" in out and "Baik Pak\nUdah Pak Kalo gitu" in out
    assert out.endswith("Kata Bu A tadi.")
