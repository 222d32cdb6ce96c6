"""A deterministic bag-of-words hashing embedder: the Embedder protocol without a model.

Tests and the orchestration benchmark need embeddings that are stable across processes and
cheap to compute, so that what they measure is Telaah's batching, caching and Prefect's
overhead rather than a neural model. Words hash to signed dimensions, so texts sharing words
get similar vectors and a classifier trained on them still learns something.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import time
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """Signed feature hashing of lower-cased words and word bigrams, L2-normalised."""

    def __init__(self, dimension: int = 64, salt: str = "v1", delay: float = 0.0) -> None:
        self._dimension = dimension
        self._salt = salt
        self.delay = delay  # seconds per encode call: lets tests widen a kill window

    @property
    def name(self) -> str:
        return f"hashing-{self._dimension}"

    @property
    def fingerprint(self) -> str:
        return f"hashing-embedder-{self._dimension}-{self._salt}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str], *, prompt_name: str | None = "passage") -> np.ndarray:
        if self.delay:
            time.sleep(self.delay)
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            for feature in [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]:
                digest = hashlib.blake2b(f"{self._salt}|{feature}".encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self._dimension
                out[row, index] += 1.0 if digest[4] & 1 else -1.0
            norm = float(np.linalg.norm(out[row]))
            out[row] = out[row] / norm if norm else out[row]
        return out


def hashing_embedder() -> HashingEmbedder:
    """Factory named by ``embedder_ref="bench.hashing_embedder:hashing_embedder"``."""
    return HashingEmbedder()


def slow_hashing_embedder() -> HashingEmbedder:
    """Same vectors as :func:`hashing_embedder`, one second per call (kill-and-resume tests)."""
    return HashingEmbedder(delay=1.0)
