"""Classifier versions for ``telaah models list`` (one entry per registered version)."""

from __future__ import annotations

from models.catalog import ModelEntry
from models.registry.store import Registry


def list_classifiers() -> list[ModelEntry]:
    registry = Registry()
    entries = []
    for codebook_dir in sorted(p for p in registry.root.iterdir() if p.is_dir()):
        for version in registry.versions(codebook_dir.name):
            held = version.metrics.get("heldout", {})
            details = {"trained": str(version.meta.get("created", ""))[:19]}
            for task in ("indicator", "function"):
                if task in held:
                    details[f"{task}_f1"] = f"{held[task]['macro_f1']:.3f}"
            entries.append(
                ModelEntry(
                    kind="classifier",
                    name=f"{version.codebook}/{version.version}",
                    path=version.path,
                    status="promoted" if version.promoted else "registered",
                    default=version.promoted,
                    details=details,
                )
            )
    return entries
