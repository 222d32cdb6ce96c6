"""Bytes to one canonical text: encoding detection, binary rejection, line-ending normalisation.

Researchers' files come from Word on Windows (cp1252, CRLF), from transcription tools (UTF-8
with BOM, UTF-16) and from phones. Every later offset is an index into the text returned here,
so the normalisation is deliberately small and deterministic: decode, NFC, LF line endings,
nothing else.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from pipeline.errors import Errors, IngestError

# Non-ASCII characters a Windows-1252 Indonesian transcript legitimately contains.
_CP1252_TYPOGRAPHY = set("“”‘’–—…•·«»°§©®™€£×÷") | {chr(c) for c in range(0xC0, 0x100)}
_MAX_FOREIGN_RATIO = 0.02  # above this share of odd characters, cp1252 is a wrong guess


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def normalize_text(text: str) -> str:
    """Canonical form: NFC, LF line endings, no NUL, no trailing BOM remnants."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\ufeff", "").replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows NULs in every other byte for mostly-ASCII text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return bad / len(sample)


def _foreign_ratio(text: str) -> float:
    sample = text[:50000]
    if not sample:
        return 0.0
    odd = sum(1 for ch in sample if ord(ch) > 127 and ch not in _CP1252_TYPOGRAPHY)
    return odd / len(sample)


def decode_bytes(data: bytes, path: str) -> Decoded:
    """Decode a text transcript, or raise an :class:`IngestError` saying why it cannot be."""
    if not data:
        raise IngestError.make(Errors.E101, path=path)
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(name), name, path)
            except UnicodeDecodeError as exc:
                raise IngestError.make(
                    Errors.E104, path=path, detail=f"{name} BOM but invalid {name}: {exc.reason}"
                ) from exc
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            return _checked(data.decode(utf16), utf16, path)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise IngestError.make(Errors.E103, path=path, detail="it contains NUL bytes")
    try:
        return _checked(data.decode("utf-8"), "utf-8", path)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise IngestError.make(
            Errors.E104,
            path=path,
            detail=f"not UTF-8, and byte {data[exc.start]:#04x} is unused in cp1252",
        ) from exc
    ratio = _foreign_ratio(text)
    if ratio > _MAX_FOREIGN_RATIO:
        raise IngestError.make(
            Errors.E104,
            path=path,
            detail=f"not UTF-8, and read as cp1252 {ratio:.0%} of the characters would be unusual symbols",
        )
    return _checked(text, "cp1252", path)


def _checked(text: str, encoding: str, path: str) -> Decoded:
    ratio = _control_ratio(text)
    if ratio > 0.01:
        raise IngestError.make(
            Errors.E103, path=path, detail=f"{ratio:.0%} of characters are control codes"
        )
    text = normalize_text(text)
    if not text.strip():
        raise IngestError.make(Errors.E107, path=path)
    return Decoded(text=text, encoding=encoding)
