"""A small classifier for the hashing embedder, registered like ``telaah train`` would.

``train_codebook`` on the whole training corpus takes minutes on a 2-core machine; tests and
the orchestration benchmark only need *a* registered model for the hashing embedder, so they
fit one on a twelfth of the training split with stronger regularisation (seconds).
"""

from __future__ import annotations

from models.classify.coder import CLASSIFIER_FORMAT, SegmentClassifier
from models.embedding.protocol import Embedder
from models.registry import Registry


def register_model(
    model: object, registry: Registry, codebook_id: str, embedder: Embedder, note: str
) -> str:
    """Save ``model`` as the next version of ``codebook_id``; returns the version."""
    version, _ = registry.claim_version(codebook_id)
    meta = {
        "embedder": embedder.fingerprint,
        "embedder_name": embedder.name,
        "classifier_format": CLASSIFIER_FORMAT,
        "note": note,
    }
    registry.save(codebook_id, version, model, meta, {}, f"# small model: {note}\n")
    return version


def train_small_model(
    codebook_id: str, embedder: Embedder, registry: Registry, *, step: int = 12
) -> SegmentClassifier:
    from flows.embed_stage import embed_model_texts
    from models.classify.zero_shot import indicator_descriptions
    from models.codebooks import load_codebook
    from models.training.data import load_examples, split

    codebook = load_codebook(codebook_id)
    examples = split(load_examples())[0][::step]
    descriptions, labels = indicator_descriptions(codebook)
    return SegmentClassifier(codebook.id, C=1.0).fit(
        embed_model_texts([e.text for e in examples], embedder),
        examples,
        codebook,
        embed_model_texts(descriptions, embedder),
        labels,
    )


def stricter_head(model: SegmentClassifier, threshold: float) -> SegmentClassifier:
    """The same model with another abstain threshold: a new head on the same embeddings."""
    model.indicator_.threshold_ = threshold
    return model
