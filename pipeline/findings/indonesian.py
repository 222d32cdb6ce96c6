"""Indonesian wording shared by the findings and the reports: labels and number formats.

Reports are read by Indonesian examiners, so decimals use a comma ("0,75") and every
category Telaah uses internally in English has one fixed Indonesian name, defined once here.
"""

from __future__ import annotations

ROLE_LABELS: dict[str, str] = {
    "head": "Pimpinan",
    "staff": "Staf",
    "operator": "Operator",
    "facilitator": "Pendamping/aparat desa",
    "citizen": "Masyarakat",
    "unknown": "Peran tidak diketahui",
}
ROLE_ORDER: tuple[str, ...] = tuple(ROLE_LABELS)

FUNCTION_LABELS: dict[str, str] = {
    "indicator": "Indikator",
    "obstacle": "Hambatan",
    "effort": "Upaya",
    "supporting_factor": "Faktor pendukung",
    "other": "Lainnya",
}

ASSESSMENT_LABELS: dict[str, str] = {
    "positive": "positif",
    "negative": "negatif",
    "mixed": "campuran",
    "neutral": "netral",
}

SCOPE_LABELS: dict[str, str] = {"internal": "internal", "external": "eksternal"}


def decimal(value: float, digits: int = 2) -> str:
    """``0.714`` -> ``"0,71"``."""
    return f"{value:.{digits}f}".replace(".", ",")


def percent(part: int, whole: int) -> str:
    """``3, 4`` -> ``"75%"``; an empty whole reads as a dash, not a division error."""
    if whole == 0:
        return "–"
    return f"{round(100 * part / whole)}%"


def role_label(category: str | None) -> str:
    return ROLE_LABELS.get(category or "unknown", ROLE_LABELS["unknown"])


def letter_code(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: stable short codes for pseudonyms."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
