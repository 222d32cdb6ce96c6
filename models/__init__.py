"""Trained and converted models: embedders, classifiers, the registry, and where they live."""
