"""The labelled training corpus: loading, the held-out split, and its fingerprint."""
