"""Replace people's names with stable pseudonyms ("Informan A", "Pak B") in reports.

Informants are real people (DOMAIN.md): their names must not leave the machine unless the user
asks. Names are found where transcripts put them (the header's informant and interviewer,
speaker labels such as "Ibu Masitah (Warga)") and where speech mentions people with an
honorific ("Pak Hendra", "Bu Sri", "Drs. H. Ahmad Yani"). The mapping is a pure function of
the transcripts: the same corpus always gives the same letters, so quotes in a report and
rows in a table agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.findings.indonesian import letter_code
from pipeline.findings.model import Informant
from pipeline.ingest.roles import categorize_role
from pipeline.ingest.speakers import INFORMANT_WORDS, INTERVIEWER_WORDS, label_key, split_role
from pipeline.records import Transcript
from pipeline.segment.lexicon import COLLOQUIAL, FILLERS
from pipeline.themes.stopwords import STOPWORDS_ID

HONORIFICS = (
    "Bapak",
    "Pak",
    "Ibu",
    "Bu",
    "Mas",
    "Mbak",
    "Mba",
    "Bang",
    "Kak",
    "Saudara",
    "Saudari",
    "Sdri",
    "Sdr",
)
TITLES = ("Drs", "Dra", "Dr", "Ir", "H", "Hj", "Prof")

# Capitalised words that follow an honorific without being a name: offices, roles, places,
# pronouns and the words that start sentences in speech.
_NOT_NAMES_TEXT = """
    camat lurah kades kadis kabid kasi kasie kasubag kabag sekdes sekcam sekda kepala ketua
    bupati walikota wali gubernur presiden menteri direktur dokter bidan guru ustad ustadz
    haji kyai pendamping operator koordinator sekretaris bendahara kapus kapolsek danramil
    staf staff pegawai petugas rt rw dusun desa kota kabupaten provinsi dinas kantor
    kecamatan kelurahan puskesmas sekolah saya kami kita anda dia beliau mereka yang dan itu
    ini ya iya tidak sudah belum juga kalau jadi terima kasih selamat pagi siang sore malam
    bapak ibu pak bu mas mbak informan narasumber peneliti responden warga masyarakat penerima
    tadi nanti apa bagaimana kenapa dengan untuk dari ada bisa mohon maaf silakan penelitian
    pewawancara layanan bimtek santai asal pegang awalnya harusnya makasih selain sebelum
    terakhir pertama kedua ketiga kemudian apakah boleh ulun kulo sampeyan pian aku gue
    nyawa kamu anu tolong coba
"""
# every function word, filler and colloquial form is a capitalised sentence start, not a name
NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split()) | STOPWORDS_ID | frozenset(COLLOQUIAL) | FILLERS

_ABBREVIATED = ("Sdri", "Sdr")
_TITLE_RE = r"(?:(?:Drs|Dra|Dr|Ir|Hj|H|Prof)\.\s*)"
_NAME_WORD = r"[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+)?"
_DEGREE = r"(?:,?\s*\b(?:S|M|Dr|Ir|A)\.[A-Za-z.]{1,8})"
_DEGREE_TAIL = re.compile(rf"{_DEGREE}+\s*$")
_WORDS = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,3}}"
# the honorific and the name share a line; only abbreviations take a full stop ("Sdr."), so
# "... ya Bu. Sebelum itu" is not "Bu Sebelum"
MENTION = re.compile(
    rf"\b(?P<hon>{'|'.join(h for h in HONORIFICS if h not in _ABBREVIATED)}|"
    rf"(?:{'|'.join(_ABBREVIATED)})\.?)[ \t]+{_TITLE_RE}*(?P<name>{_WORDS}){_DEGREE}*"
    rf"|(?<![\w.]){_TITLE_RE}+(?P<name2>{_WORDS}){_DEGREE}*"
)


@dataclass(frozen=True, slots=True)
class Person:
    code: str
    names: tuple[str, ...]
    informant: bool

    @property
    def label(self) -> str:
        return f"Informan {self.code}" if self.informant else f"Sdr. {self.code}"


def core_name(text: str) -> str | None:
    """The personal name in a header value or label, without honorifics, titles and roles."""
    name = _DEGREE_TAIL.sub("", split_role(text)[0])
    words = [w.strip(".,") for w in name.split()]
    words = [w for w in words if w and w not in HONORIFICS and w not in TITLES]
    words = [w for w in words if w.lower() not in NOT_NAMES]
    if not words or not all(re.fullmatch(_NAME_WORD, w) for w in words):
        return None
    return " ".join(words)


def _name_span(words: list[str]) -> tuple[int, int]:
    """Index range of the name inside the words after an honorific: "Kades Sutrisno Dan" -> 1..2."""
    start = 0
    while start < len(words) and words[start].lower() in NOT_NAMES:
        start += 1
    end = start
    while end < len(words) and words[end].lower() not in NOT_NAMES:
        end += 1
    return start, end


def _speaker_name(label: str) -> str | None:
    key = label_key(split_role(label)[0])
    if key in INFORMANT_WORDS or key in INTERVIEWER_WORDS or re.search(r"\d", key):
        return None
    if categorize_role(split_role(label)[0]) != "unknown":
        return None
    return core_name(label)


class Pseudonymiser:
    """Names to pseudonyms, built once from all transcripts of a study."""

    def __init__(self, people: Sequence[Person], informants: dict[tuple[str, str], Person]):
        self.people = tuple(people)
        self._informants = informants
        aliases: dict[str, Person] = {}
        for person in self.people:
            for name in person.names:
                aliases.setdefault(name, person)
                for word in name.split():
                    if len(word) >= 3 and word.lower() not in NOT_NAMES:
                        aliases.setdefault(word, person)
        self._aliases = aliases
        ordered = sorted(aliases, key=len, reverse=True)
        self._bare = (
            re.compile(r"\b(" + "|".join(re.escape(a) for a in ordered) + r")\b")
            if ordered
            else None
        )

    @classmethod
    def from_transcripts(cls, transcripts: Iterable[Transcript]) -> Pseudonymiser:
        return cls.from_notes(NameNotes.of(t) for t in transcripts)

    @classmethod
    def from_notes(cls, notes: Iterable[NameNotes]) -> Pseudonymiser:
        """The mapping from each transcript's names alone, so a stream need not keep texts."""
        ordered = sorted(notes, key=lambda n: n.source_id)
        people: list[Person] = []
        by_name: dict[str, Person] = {}
        informants: dict[tuple[str, str], Person] = {}

        def person_for(name: str | None, informant: bool) -> Person:
            if name and name.casefold() in by_name:
                return by_name[name.casefold()]
            person = Person(letter_code(len(people)), (name,) if name else (), informant)
            people.append(person)
            if name:
                by_name[name.casefold()] = person
            return person

        for note in ordered:
            for speaker in note.speakers:
                name = _speaker_name(speaker) or (note.header if len(note.speakers) == 1 else None)
                informants[(note.source_id, speaker)] = person_for(name, True)
        for name in dict.fromkeys(n for note in ordered for n in note.others):
            # "Bu Rina" is informant "Rina Marlina", not a new person
            words = {w.casefold() for p in people for n in p.names for w in n.split()}
            if name.casefold() not in by_name and not {w.casefold() for w in name.split()} <= words:
                person_for(name, False)
        return cls(people, informants)

    def person(self, source_id: str, speaker: str) -> Person | None:
        return self._informants.get((source_id, speaker))

    @classmethod
    def from_findings(cls, informants: Iterable[Informant]) -> Pseudonymiser:
        """The informants' part of the mapping, for re-rendering a report from findings.json.

        People only mentioned in speech are not in the findings; their honorific mentions still
        become "Pak X" because :meth:`apply` masks every honorific-marked name.
        """
        people: dict[str, Person] = {}
        keyed: dict[tuple[str, str], Person] = {}
        for informant in informants:
            code = informant.pseudonym.removeprefix("Informan").strip() or "X"
            person = people.setdefault(
                code, Person(code, (informant.name,) if informant.name else (), True)
            )
            keyed[(informant.source_id, informant.speaker)] = person
        return cls(list(people.values()), keyed)

    def informant_label(self, source_id: str, speaker: str) -> str:
        person = self.person(source_id, speaker)
        return person.label if person else "Informan"

    def apply(self, text: str) -> str:
        """``text`` with every known or honorific-marked name replaced."""

        def mention(match: re.Match[str]) -> str:
            group = "name" if match.group("name") else "name2"
            offset = match.start(group) - match.start()
            spans = [w.span() for w in re.finditer(r"\S+", match.group(group))]
            start, end = _name_span([match.group(group)[a:b] for a, b in spans])
            if start == end:
                return match.group(0)
            whole = match.group(0)
            a, b = offset + spans[start][0], offset + spans[end - 1][1]
            name = whole[a:b]
            person = self._aliases.get(name) or self._aliases.get(name.split()[0])
            code = person.code if person else "X"
            prefix = whole[:offset] if match.group("hon") else "Sdr. "
            return prefix + whole[offset:a] + code + whole[b:]

        text = MENTION.sub(mention, text)
        if self._bare is None:
            return text
        return self._bare.sub(lambda m: self._aliases[m.group(1)].label, text)

    @property
    def name_words(self) -> frozenset[str]:
        """Every word of every known name, lowercase: never to be used as a theme label."""
        return frozenset(w.lower() for p in self.people for n in p.names for w in n.split())

    @property
    def mapping(self) -> dict[str, str]:
        """Real name to pseudonym, for the researcher's private key (never written by default)."""
        return {name: p.label for p in self.people for name in p.names}


@dataclass(frozen=True, slots=True)
class NameNotes:
    """The names one transcript contributes to the mapping: a few strings, not its text."""

    source_id: str
    speakers: tuple[str, ...]  # informant speakers, in order of first turn
    header: str | None  # the header's informant name
    others: tuple[str, ...]  # interviewers and people mentioned, in order of appearance

    @classmethod
    def of(cls, transcript: Transcript) -> NameNotes:
        speakers = dict.fromkeys(t.speaker for t in transcript.turns if t.kind != "interviewer")
        header = core_name(transcript.meta.informant) if transcript.meta.informant else None
        return cls(transcript.source.id, tuple(speakers), header, tuple(_other_names(transcript)))


def _other_names(transcript: Transcript) -> list[str]:
    """Interviewers and people mentioned with an honorific, in order of appearance."""
    names: list[str] = []
    if transcript.meta.interviewer and (name := core_name(transcript.meta.interviewer)):
        names.append(name)
    for turn in transcript.turns:
        if turn.kind == "interviewer" and (name := _speaker_name(turn.speaker)):
            names.append(name)
    for match in MENTION.finditer(transcript.text):
        words = (match.group("name") or match.group("name2")).split()
        start, end = _name_span(words)
        if start < end:
            names.append(" ".join(words[start:end]))
    return list(dict.fromkeys(names))
