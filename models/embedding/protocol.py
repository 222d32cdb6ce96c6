"""The one interface every stage embeds text through.

Classification and theme extraction only need "texts in, float32 rows out" plus a stable
identity for caching, so the interface is this small Protocol rather than a sentence-
transformers object: tests pass a tiny fake, and another backend (ONNX, a remote service)
can be dropped in without touching the stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from pipeline.errors import Errors, ModelError


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-comparable float32 vectors of a fixed dimension."""

    @property
    def name(self) -> str:
        """Human-readable model name, for logs and listings."""
        ...

    @property
    def fingerprint(self) -> str:
        """Stable id of everything that changes the output: weights, tokenizer, pooling,
        normalisation. Equal fingerprints must mean interchangeable embeddings; caches key on it."""
        ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], *, prompt_name: str | None = "passage") -> np.ndarray:
        """``(len(texts), dimension)`` float32, one row per text in input order.

        ``prompt_name`` selects an instruction prefix the model was trained with (e5:
        ``"passage"`` for text to classify or cluster, ``"query"`` for search queries); models
        without that prompt ignore it.
        """
        ...


def check_embeddings(name: str, vectors: np.ndarray, n: int, dimension: int) -> np.ndarray:
    """The shape contract of :meth:`Embedder.encode`, enforced where embeddings enter the cache."""
    arr = np.asarray(vectors)
    if arr.ndim != 2 or arr.shape != (n, dimension) or not np.issubdtype(arr.dtype, np.floating):
        raise ModelError.make(
            Errors.E410, name=name, got=f"{arr.dtype} {arr.shape}", n=n, dim=dimension
        )
    return np.ascontiguousarray(arr, dtype=np.float32)
