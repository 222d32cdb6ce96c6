"""The real :class:`Embedder`: any sentence-transformers model, loaded from local files.

Loading a model costs seconds and a gigabyte, so it happens lazily, on the first ``encode``
that actually needs the model: a run whose embeddings are all cached never loads it (nor
torch). Compute stays in float32 even for float16 checkpoints, because on CPUs without fast
half-precision kernels fp16/bf16 ran about 7x slower than fp32 in Telaah's measurements.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models.embedding.fingerprint import directory_fingerprint, settings_fingerprint
from models.embedding.resolve import resolve_model

logger = logging.getLogger(__name__)


def pick_device(device: str | None = None) -> str:
    """CUDA when present (a GPU encodes far faster than the 2-core office CPU), else CPU; an
    explicit choice wins."""
    if device:
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class SentenceTransformerEmbedder:
    """An :class:`~models.embedding.protocol.Embedder` backed by ``SentenceTransformer``."""

    def __init__(
        self,
        model: str | Path = "default",
        *,
        device: str | None = None,
        batch_size: int = 32,
        normalize: bool = True,
        max_seq_length: int | None = None,
        allow_download: bool = False,
        show_progress: bool = False,
    ) -> None:
        self._name, self.path = resolve_model(model, allow_download=allow_download)
        self.device = device  # None: decided when the model loads, so cache-only runs skip torch
        self.batch_size = batch_size
        self.normalize = normalize
        self.max_seq_length = max_seq_length
        self.show_progress = show_progress
        self._model: Any = None
        self._fingerprint: str | None = None
        self._dimension: int | None = None
        self._warned_prompts: set[str] = set()
        st_config = read_json(self.path / "config_sentence_transformers.json")
        self.prompts: dict[str, str] = dict(st_config.get("prompts") or {})

    @property
    def name(self) -> str:
        return self._name

    @property
    def fingerprint(self) -> str:
        if self._fingerprint is None:
            self._fingerprint = settings_fingerprint(
                directory_fingerprint(self.path),
                normalize=self.normalize,
                max_seq_length=self.max_seq_length,
                dtype="float32",
            )
        return self._fingerprint

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            declared = declared_dimension(self.path)
            if declared is None:  # Dense layers or several pooling modes: ask the model
                model = self.model
                # renamed in sentence-transformers 6; the old name remains, with a warning
                ask = getattr(model, "get_embedding_dimension", None)
                declared = int(ask() if ask else model.get_sentence_embedding_dimension())
            self._dimension = declared
        return self._dimension

    @property
    def model(self) -> Any:
        """The loaded ``SentenceTransformer``, loaded on first use, from local files only."""
        if self._model is None:
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            dtype_key = (
                "dtype" if int(transformers.__version__.split(".")[0]) >= 5 else "torch_dtype"
            )
            self.device = pick_device(self.device)
            logger.info("loading embedder %s on %s", self._name, self.device)
            self._model = SentenceTransformer(
                str(self.path),
                device=self.device,
                local_files_only=True,
                model_kwargs={dtype_key: torch.float32},
            )
            if self.max_seq_length is not None:
                self._model.max_seq_length = self.max_seq_length
        return self._model

    def encode(self, texts: Sequence[str], *, prompt_name: str | None = "passage") -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        prompt = self.effective_prompt(prompt_name)
        self._warn_truncation(texts, prompt)
        # Longest first, so each batch pads to similar lengths and the first batch shows the
        # peak memory at once (sentence-transformers sorts again; on sorted input that is free).
        order = np.argsort([-len(t) for t in texts], kind="stable")
        vectors = self.model.encode(
            [texts[i] for i in order],
            prompt_name=prompt,
            batch_size=self.batch_size,
            normalize_embeddings=self.normalize,
            convert_to_numpy=True,
            show_progress_bar=self.show_progress,
        )
        out = np.empty_like(vectors, dtype=np.float32)
        out[order] = vectors
        return out

    def effective_prompt(self, prompt_name: str | None) -> str | None:
        """``prompt_name`` if the model defines it, else None (models without prompts)."""
        if prompt_name is None or prompt_name in self.prompts:
            return prompt_name
        if prompt_name not in self._warned_prompts:
            self._warned_prompts.add(prompt_name)
            logger.info("%s has no '%s' prompt; encoding without one", self._name, prompt_name)
        return None

    def _warn_truncation(self, texts: list[str], prompt_name: str | None) -> None:
        """Say how many texts exceed the model's window instead of truncating them silently.

        Character counts cannot bound token counts (the normaliser expands some characters
        and each unknown character is a token), so every text is tokenised; with a fast
        tokenizer that costs well under 1% of encoding.
        """
        limit = self.model.max_seq_length or 512
        prefix = self.prompts.get(prompt_name or "", "")
        encoded = self.model.tokenizer(
            [prefix + t for t in texts], return_length=True, verbose=False
        )
        lengths = encoded["length"]
        over = sum(int(n) > limit for n in lengths)
        if over:
            logger.warning(
                "%d of %d texts are longer than %d tokens and are truncated by %s; "
                "segment transcripts into shorter passages to embed all of their content",
                over,
                len(texts),
                limit,
                self._name,
            )

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder({self._name!r}, path={str(self.path)!r})"


def declared_dimension(path: Path) -> int | None:
    """Output size from the configs when the pipeline is Transformer + one-mode Pooling
    (+ Normalize); anything else (Dense layers, several modes) is asked of the loaded model."""
    modules = read_json(path / "modules.json")
    if not isinstance(modules, list):
        return None
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or any(
        k not in ("Transformer", "Pooling", "Normalize") for k in kinds
    ):
        return None
    pooling = read_json(path / modules[1].get("path", "") / "config.json")
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v is True]
    dim = pooling.get("word_embedding_dimension") or pooling.get("embedding_dimension")
    single_mode = len(modes) == 1 or isinstance(pooling.get("pooling_mode"), str)
    if isinstance(dim, int) and single_mode:
        return dim
    return None


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
