"""The interview header block: informant, role, office, date, place, interviewer.

Researchers start a transcript with a few ``Key: value`` lines. Keys vary ("Jabatan", "Peran",
"Status"; "Tanggal", "Hari/Tanggal"), and some keys ("Informan", "Peneliti") double as speaker
labels, so a block only counts as a header when it holds at least one key that cannot be a
speaker label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.ingest.roles import categorize_role
from pipeline.records import InterviewMeta

FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "informant": (
        "nama informan",
        "informan",
        "narasumber",
        "nama narasumber",
        "nama",
        "nama responden",
        "responden",
        "informant",
    ),
    "role": ("jabatan", "peran", "status", "posisi", "jabatan informan", "peran informan", "role"),
    "office": ("instansi", "kantor", "unit kerja", "lembaga", "dinas", "organisasi", "office"),
    "date": (
        "tanggal",
        "hari/tanggal",
        "hari, tanggal",
        "tanggal wawancara",
        "date",
        "hari / tanggal",
    ),
    "place": ("tempat", "lokasi", "tempat wawancara", "lokasi wawancara", "place"),
    "interviewer": ("pewawancara", "peneliti", "interviewer", "penanya"),
    "programme": ("program", "kegiatan", "programme"),
}
# Keys that are also common speaker labels, so they alone do not make a header.
_AMBIGUOUS = {"informan", "narasumber", "peneliti", "pewawancara", "responden", "nama", "penanya"}
_KEY_TO_FIELD = {key: field for field, keys in FIELD_KEYS.items() for key in keys}
_EXTRA_KEYS = (
    "kode informan",
    "durasi",
    "transkrip",
    "pukul",
    "jam",
    "catatan",
    "kode",
    "waktu",
    "judul",
    "topik",
)
_LINE = re.compile(
    r"^\s*(?:[-*>]\s*)?(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z /,]{1,28}?)(?:\*\*|__)?\s*[:：]"
    r"\s*(?:\*\*|__)?\s*(?P<value>.*?)\s*$"
)
_SEPARATOR = re.compile(r"^\s*(?:[-=_*~]{3,}|#{1,6}\s*$)\s*$")

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "maret": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "october": 10,
    "december": 12,
}


@dataclass(frozen=True, slots=True)
class HeaderBlock:
    meta: InterviewMeta
    end: int  # offset just after the header block (0 when there is none)


def header_key(raw: str) -> str | None:
    """Return the normalised key if ``raw`` is a known header key."""
    key = re.sub(r"\s+", " ", raw.strip().lower())
    if key in _KEY_TO_FIELD or key in _EXTRA_KEYS:
        return key
    return None


def parse_date(text: str | None) -> str | None:
    """Indonesian dates as written ("Selasa, 14 Januari 2025", "14/01/2025") to ISO."""
    if not text:
        return None
    low = text.lower()
    match = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", low)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _iso(year, month, day)
    match = re.search(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2,4})\b", low)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _iso(year + 2000 if year < 100 else year, month, day)
    match = re.search(r"\b(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})\b", low)
    if match and match.group(2) in MONTHS:
        return _iso(int(match.group(3)), MONTHS[match.group(2)], int(match.group(1)))
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    if 1 <= month <= 12 and 1 <= day <= 31 and 1900 < year < 2200:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def meta_from_fields(fields: dict[str, str], extra: dict[str, str] | None = None) -> InterviewMeta:
    """Build :class:`InterviewMeta` from ``field -> value`` pairs (any source format)."""
    role = fields.get("role") or None
    date_text = fields.get("date") or None
    return InterviewMeta(
        informant=fields.get("informant") or None,
        role=role,
        role_category=categorize_role(role),
        office=fields.get("office") or None,
        date=parse_date(date_text),
        date_text=date_text,
        place=fields.get("place") or None,
        interviewer=fields.get("interviewer") or None,
        programme=fields.get("programme") or None,
        extra=tuple(sorted((extra or {}).items())),
    )


def fields_from_pairs(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """Sort raw ``(key, value)`` pairs into known fields and extras; first value wins."""
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    for raw_key, value in pairs:
        key = header_key(raw_key)
        if key is None or not value:
            continue
        field = _KEY_TO_FIELD.get(key)
        if field is None:
            extra.setdefault(key, value)
        else:
            fields.setdefault(field, value)
    return fields, extra


def parse_header(text: str) -> HeaderBlock:
    """Find the header block at the top of ``text``; tolerate a title line before it."""
    pos = 0
    pairs: list[tuple[str, str]] = []
    keys_seen: list[str] = []
    end = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        line_end = pos + len(line) + 1
        stripped = line.strip()
        match = _LINE.match(line)
        key = header_key(match.group("key")) if match else None
        if key is not None and match is not None:
            pairs.append((key, match.group("value").strip().strip("*_").strip()))
            keys_seen.append(key)
            end = min(line_end, len(text))
        elif not stripped or _SEPARATOR.match(line):
            if keys_seen:
                end = min(line_end, len(text))
                break
        elif keys_seen or index > 3:
            break  # speech or a label line ended the block
        pos = line_end
    if not _is_header(keys_seen):
        return HeaderBlock(meta=InterviewMeta(), end=0)
    fields, extra = fields_from_pairs(pairs)
    return HeaderBlock(meta=meta_from_fields(fields, extra), end=end)


def _is_header(keys: list[str]) -> bool:
    """ "Peneliti: Selamat pagi" / "Informan: Pagi" is speech, not a header: demand a key that
    cannot be a speaker label."""
    return any(key not in _AMBIGUOUS for key in keys)
