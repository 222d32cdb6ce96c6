"""What ``telaah models list`` shows: every kind of model Telaah can use, from one place.

Each kind (embedders now, classifier versions later) contributes a lister named in
``LISTERS``, in the same spirit as the CLI's ``COMMAND_MODULES``: adding a kind is one line
here, and a kind whose module is not in this checkout yet is skipped.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

LISTERS: tuple[str, ...] = (
    "models.embedding.default:list_embedders",
    "models.registry.listing:list_classifiers",
)


@dataclass(frozen=True)
class ModelEntry:
    """One usable (or buildable) model, as shown to the user."""

    kind: str
    name: str
    path: Path | None
    status: str = "ready"
    default: bool = False
    details: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "name": self.name,
            "path": str(self.path) if self.path else None,
            "status": self.status,
            "default": self.default,
            "details": dict(self.details),
        }


def list_models(kinds: Iterable[str] | None = None) -> list[ModelEntry]:
    wanted = set(kinds) if kinds is not None else None
    entries: list[ModelEntry] = []
    for spec in LISTERS:
        lister = _load(spec)
        if lister is None:
            continue
        entries.extend(e for e in lister() if wanted is None or e.kind in wanted)
    return entries


def _load(spec: str) -> Callable[[], Iterable[ModelEntry]] | None:
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:  # that kind is not built in this checkout yet
            logger.debug("model lister %s not available", spec)
            return None
        raise
    return getattr(module, attr)
