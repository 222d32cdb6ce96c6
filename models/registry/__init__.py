"""Versioned classifier models in Telaah's data directory, one promoted version per codebook."""

from models.registry.store import ModelEntry, Registry

__all__ = ["ModelEntry", "Registry"]
