"""The trained classifier: scikit-learn heads over sentence embeddings, per codebook."""
