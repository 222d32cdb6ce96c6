"""spaCy components that make Indonesian sentence boundaries fit spoken transcripts.

The stock sentencizer splits on punctuation only. Transcripts break lines where a speaker moves
on, write ellipses for hesitation ("ya... kita lanjut") and end sentences with abbreviations
("dll. Jadi ..."), and "Rp. 50.000" is not two sentences. Registered with versioned names so a
saved pipeline config says exactly which rules it ran.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Token

from pipeline.segment.lexicon import FILLERS

SENTENCE_FIXES = "telaah_sentence_fixes_v1"
FILLER_TAGGER = "telaah_fillers_v1"

_ELLIPSIS = {"...", "…", "....", ".."}
_CLOSING_ABBREVIATIONS = {"dll.", "dsb.", "dst.", "dkk.", "etc.", "dll", "dsb", "dst"}
_NUMBER_PREFIXES = {"rp", "no", "nomor", "pasal", "ayat", "tahun", "jam", "pukul", "hal"}

# Most turns contain none of the cases handled below; a regex over the text skips them cheaply.
_NEEDS_FIXES = re.compile(
    r"\n|\.\.|…|\b(?:dll|dsb|dst|dkk|etc|rp|no|nomor|pasal|ayat|tahun|jam|pukul|hal)\s*\.",
    re.IGNORECASE,
)
FILLER_PATTERN = re.compile(r"\b(?:e+h*|e+m+|h+m+|m{3,}|u+m+|u+h+|a{3,}|anu)\b", re.IGNORECASE)

if not Token.has_extension("is_filler"):
    Token.set_extension("is_filler", default=False)


def _is_newline(token: Token) -> bool:
    return token.is_space and "\n" in token.text


@Language.component(SENTENCE_FIXES)
def sentence_fixes(doc: Doc) -> Doc:
    """Adjust ``is_sent_start`` after the sentencizer has run."""
    if not _NEEDS_FIXES.search(doc.text):
        return doc
    for i, token in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        if _is_newline(token) or token.text.endswith("\n"):
            nxt.is_sent_start = True
        elif token.text in _ELLIPSIS:
            nxt.is_sent_start = nxt.is_title and not nxt.is_punct
        elif token.lower_ in _CLOSING_ABBREVIATIONS and nxt.is_title:
            nxt.is_sent_start = True
        elif (
            token.text == "."
            and i > 0
            and doc[i - 1].lower_ in _NUMBER_PREFIXES
            and (nxt.like_num or nxt.text[:1].isdigit())
        ):
            nxt.is_sent_start = False
    return doc


@Language.component(FILLER_TAGGER)
def filler_tagger(doc: Doc) -> Doc:
    """Mark hesitation fillers (``token._.is_filler``) for users of the spaCy pipeline."""
    if not FILLER_PATTERN.search(doc.text):
        return doc
    for token in doc:
        lower = token.lower_.rstrip(".,")
        if lower in FILLERS or (len(lower) >= 3 and set(lower) <= set("aehmu")):
            token._.is_filler = True
    return doc
