"""Features the heads learn from: the sentence embedding, plus word and character n-grams.

Embeddings carry meaning across paraphrases; n-grams carry the discourse cues that decide a
segment's function ("kendalanya", "upaya kami", "yang mendukung") and the programme vocabulary
that separates close indicators. On the held-out split the combination beat either alone
(see the closing note of the classifier issue), so both are used, with the dense embedding
up-weighted so it is not drowned by thousands of sparse columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer

from models.classify.features import model_texts
from models.classify.heads import _check


class HybridFeatures(BaseEstimator):
    def __init__(
        self, embedding_weight: float = 2.0, max_char_features: int = 50000, use_ngrams: bool = True
    ) -> None:
        self.embedding_weight = embedding_weight
        self.max_char_features = max_char_features
        self.use_ngrams = use_ngrams

    def fit(self, texts: Sequence[str]) -> HybridFeatures:
        prepared = model_texts(texts)
        if self.use_ngrams:
            self.words_ = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2).fit(
                prepared
            )
            self.chars_ = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(3, 5),
                sublinear_tf=True,
                min_df=3,
                max_features=self.max_char_features,
            ).fit(prepared)
        else:
            self.words_ = self.chars_ = None
        return self

    def transform(self, embeddings: np.ndarray, texts: Sequence[str]) -> csr_matrix:
        _check(self, "words_")
        dense = csr_matrix(np.asarray(embeddings, dtype=np.float32) * self.embedding_weight)
        if self.words_ is None or self.chars_ is None:
            return dense
        prepared = model_texts(texts)
        return hstack(
            [dense, self.words_.transform(prepared), self.chars_.transform(prepared)]
        ).tocsr()
