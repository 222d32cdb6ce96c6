"""The colloquial-normalised copy of a segment that the models see.

Token-level lookups only (no stemming), so the mapping is predictable and reviewable; fillers
are dropped; two-word expressions ("kada papa") are matched before single words.
"""

from __future__ import annotations

import re

from pipeline.segment.lexicon import COLLOQUIAL, FILLERS

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_BIGRAMS = {k: v for k, v in COLLOQUIAL.items() if " " in k}
_UNIGRAMS = {k: v for k, v in COLLOQUIAL.items() if " " not in k and k != v}


def _bigram_pass(text: str) -> str:
    for phrase, replacement in _BIGRAMS.items():
        if phrase in text.lower():
            text = re.sub(rf"\b{re.escape(phrase)}\b", replacement, text, flags=re.IGNORECASE)
    return text


def _replace(match: re.Match[str]) -> str:
    word = match.group(0)
    lower = word.lower()
    if lower in FILLERS:
        return ""
    replacement = _UNIGRAMS.get(lower)
    if replacement is None:
        return word
    if word[:1].isupper() and replacement:
        return replacement[:1].upper() + replacement[1:]
    return replacement


def normalize_colloquial(text: str) -> str:
    """Standard-Indonesian rendering of ``text``; the input is never modified."""
    out = _WORD.sub(_replace, _bigram_pass(text))
    out = re.sub(r"\s+([,.?!;:])", r"\1", out)
    out = re.sub(r"([,.?!;:])(?:\s*\1)+", r"\1", out)
    out = re.sub(r"^[\s,.;:]+", "", out)
    return re.sub(r"\s+", " ", out).strip()
