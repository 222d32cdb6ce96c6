"""Speaker labels in every style researchers use, and who is the interviewer.

Styles (see DOMAIN.md): ``P:``/``I:``, ``Peneliti:``/``Informan:``, ``Pewawancara:``/
``Narasumber:``, ``T:``/``J:``, names or roles in brackets, and timestamps from transcription
tools (``[00:12:31] Camat: ...``). A plain ``Name:`` at the start of a line is only trusted as a
label when it is a known label word or recurs, because Indonesian speech often has
``Contohnya: ...`` at the start of a line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.ingest.roles import categorize_role
from pipeline.records import SpeakerKind

INTERVIEWER_WORDS = {
    "p",
    "peneliti",
    "pewawancara",
    "penanya",
    "t",
    "tanya",
    "q",
    "interviewer",
    "moderator",
    "pw",
    "int",
    "penulis",
    "mahasiswa peneliti",
    "tim peneliti",
    "fasilitator fgd",
}
INFORMANT_WORDS = {
    "i",
    "informan",
    "narasumber",
    "responden",
    "j",
    "jawab",
    "jawaban",
    "a",
    "r",
    "n",
    "informant",
    "respondent",
}
_TS = r"(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)"
_BOLD = r"(?:\*\*|__)?"
LABEL_LINE = re.compile(
    r"^[ \t]*(?:[-*>][ \t]+)?"
    rf"(?:[\[(]?{_TS}[\])]?[ \t]*(?:[-–][ \t]*)?)?"
    rf"{_BOLD}"
    r"(?:\[(?P<bracket>[^\]\n:]{1,60})\]|\((?P<paren>[^)\n:]{1,60})\)"
    r"|(?P<plain>[A-Za-z][\w.'’]*(?:[ \t]+[\w.'’]+){0,4}(?:[ \t]*\([^)\n]{1,40}\))?))"
    rf"{_BOLD}[ \t]*(?P<colon>[:：])?[ \t]*{_BOLD}[ \t]*"
)


@dataclass(frozen=True, slots=True)
class LabelMatch:
    label: str
    speech_start: int  # offset within the line where the speech begins
    timestamp: str | None
    bracketed: bool


def match_label(line: str) -> LabelMatch | None:
    """Return the label at the start of ``line``, if the line starts a turn."""
    match = LABEL_LINE.match(line)
    if not match:
        return None
    bracket = match.group("bracket") or match.group("paren")
    plain = match.group("plain")
    has_colon = bool(match.group("colon"))
    if bracket is not None:
        label = bracket.strip()
        if re.fullmatch(r"[\d:.,\s]+", label):
            return None
    elif plain is not None and has_colon:
        label = plain.strip()
    else:
        return None
    return LabelMatch(
        label=label,
        speech_start=match.end(),
        timestamp=match.group("ts"),
        bracketed=bracket is not None,
    )


def label_key(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip().strip("*_").lower())


def is_known_label(label: str) -> bool:
    key = label_key(label)
    return key in INTERVIEWER_WORDS or key in INFORMANT_WORDS


def split_role(label: str) -> tuple[str, str | None]:
    """``"Ibu Masitah (Warga)"`` -> ``("Ibu Masitah", "Warga")``."""
    match = re.fullmatch(r"(.*?)\s*\(([^)]+)\)\s*", label)
    if match and match.group(1):
        return match.group(1).strip(), match.group(2).strip()
    return label.strip(), None


def classify_speakers(
    labels: list[str], texts: list[str], interviewer_name: str | None = None
) -> dict[str, SpeakerKind]:
    """Decide which label is the interviewer; the rest are informants.

    Known words decide first; then a name matching the header's interviewer; then the label
    whose turns most often end in a question.
    """
    kinds: dict[str, SpeakerKind] = {}
    name_key = label_key(interviewer_name) if interviewer_name else None
    for label in dict.fromkeys(labels):
        key = label_key(label)
        base = label_key(split_role(label)[0])
        if key in INTERVIEWER_WORDS or base in INTERVIEWER_WORDS:
            kinds[label] = "interviewer"
        elif key in INFORMANT_WORDS or base in INFORMANT_WORDS:
            kinds[label] = "informant"
        elif name_key and (name_key in key or key in name_key):
            kinds[label] = "interviewer"
    unknown = [label for label in dict.fromkeys(labels) if label not in kinds]
    if unknown and "interviewer" not in kinds.values():
        questions: Counter[str] = Counter()
        totals: Counter[str] = Counter()
        for label, text in zip(labels, texts, strict=True):
            if label in unknown:
                totals[label] += 1
                questions[label] += text.rstrip().endswith("?")
        share = {label: questions[label] / totals[label] for label in unknown}
        best = max(unknown, key=lambda label: (share[label], totals[label]))
        if share[best] >= 0.3 and len(unknown) > 1:
            kinds[best] = "interviewer"
    for label in unknown:
        kinds.setdefault(label, "informant")
    return kinds


def style_of(labels: list[str], *, timestamps: bool, bracketed: bool) -> str:
    """Name the label style, for the manifest and for tests."""
    if timestamps:
        return "timestamped_named"
    if bracketed:
        return "bracket"
    keys = {label_key(split_role(label)[0]) for label in labels}
    for style, pair in (
        ("p_i", {"p", "i"}),
        ("peneliti_informan", {"peneliti", "informan"}),
        ("pewawancara_narasumber", {"pewawancara", "narasumber"}),
        ("t_j", {"t", "j"}),
    ):
        if keys & pair and len(keys & pair) >= len(keys) - 1:
            return style
    return "named"


def role_for_label(label: str, kind: str, default_role: str | None) -> str | None:
    """An informant's role: from ``Name (Role)``, from a role used as label, else the header's."""
    if kind != "informant":
        return None
    name, role = split_role(label)
    if role:
        return role
    key = label_key(name)
    generic = key in INFORMANT_WORDS or key in INTERVIEWER_WORDS or key.startswith("speaker")
    if not generic and categorize_role(name) != "unknown":
        return name
    return default_role
