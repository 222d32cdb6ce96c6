"""The model registry: every trained classifier gets a version, its data hash, metrics and card.

Layout under ``<TELAAH_HOME>/registry/<codebook>/``: one folder per version (``v1``, ``v2``, ...)
holding ``model.skops``, ``meta.json``, ``metrics.json`` and ``card.md``; ``promoted.json`` names
the version in use. Promotion appends to ``events.jsonl``, which reprocessing listens to.
Versions are claimed with an exclusive ``mkdir`` so two trainers never collide.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import skops.io as sio

from flows.io.atomic import write_json, write_text
from models.home import subdir
from pipeline.errors import Errors, ModelError

MODEL_FILE = "model.skops"
TRUSTED_PREFIXES = ("models.", "sklearn.", "numpy.", "builtins.", "collections.", "scipy.")


@dataclass(frozen=True, slots=True)
class ModelEntry:
    codebook: str
    version: str
    path: Path
    meta: dict[str, Any]
    promoted: bool

    @property
    def metrics(self) -> dict[str, Any]:
        file = self.path / "metrics.json"
        return json.loads(file.read_text()) if file.exists() else {}


class Registry:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root or subdir("registry")

    def _dir(self, codebook: str) -> Path:
        path = self.root / codebook
        path.mkdir(parents=True, exist_ok=True)
        return path

    def versions(self, codebook: str) -> list[ModelEntry]:
        promoted = self.promoted_version(codebook)
        entries = []
        for path in self._dir(codebook).iterdir():
            if re.fullmatch(r"v\d+", path.name) and (path / "meta.json").exists():
                meta = json.loads((path / "meta.json").read_text())
                entries.append(ModelEntry(codebook, path.name, path, meta, path.name == promoted))
        return sorted(entries, key=lambda e: int(e.version[1:]))

    def promoted_version(self, codebook: str) -> str | None:
        file = self._dir(codebook) / "promoted.json"
        return json.loads(file.read_text())["version"] if file.exists() else None

    def claim_version(self, codebook: str) -> tuple[str, Path]:
        """Reserve the next version number (safe against concurrent trainers)."""
        base = self._dir(codebook)
        while True:
            numbers = [int(p.name[1:]) for p in base.iterdir() if re.fullmatch(r"v\d+", p.name)]
            version = f"v{max(numbers, default=0) + 1}"
            try:
                (base / version).mkdir()
                return version, base / version
            except FileExistsError:
                continue

    def save(
        self,
        codebook: str,
        version: str,
        model: object,
        meta: dict[str, Any],
        metrics: dict[str, Any],
        card: str,
    ) -> ModelEntry:
        path = self._dir(codebook) / version
        tmp = path / f".{MODEL_FILE}.tmp"
        sio.dump(model, tmp)
        os.replace(tmp, path / MODEL_FILE)
        write_json(path / "metrics.json", metrics)
        write_text(path / "card.md", card)
        meta = {
            **meta,
            "codebook": codebook,
            "version": version,
            "created": datetime.now(UTC).isoformat(),
        }
        write_json(
            path / "meta.json", meta
        )  # written last: its presence marks the version complete
        return ModelEntry(codebook, version, path, meta, False)

    def entry(self, codebook: str, version: str | None = None) -> ModelEntry:
        """The given version, or the promoted one."""
        entries = {e.version: e for e in self.versions(codebook)}
        wanted = version or self.promoted_version(codebook)
        if wanted is None or wanted not in entries:
            raise ModelError.make(
                Errors.E404,
                version=wanted or "(promoted)",
                codebook=codebook,
                known=", ".join(entries) or "none",
            )
        return entries[wanted]

    def load(self, codebook: str, version: str | None = None) -> tuple[object, ModelEntry]:
        entry = self.entry(codebook, version)
        file = entry.path / MODEL_FILE
        data = file.read_bytes()  # once: the type check and the load both open the archive
        untrusted = sio.get_untrusted_types(data=data)
        unexpected = [t for t in untrusted if not t.startswith(TRUSTED_PREFIXES)]
        if unexpected:
            raise ModelError.make(Errors.E420, path=file, types=", ".join(unexpected))
        return sio.loads(data, trusted=untrusted), entry

    def promote(self, codebook: str, version: str, reason: str = "manual") -> dict[str, Any]:
        entry = self.entry(codebook, version)
        previous = self.promoted_version(codebook)
        write_json(self._dir(codebook) / "promoted.json", {"version": entry.version})
        event = {
            "event": "telaah.model.promoted",
            "codebook": codebook,
            "version": entry.version,
            "previous": previous,
            "embedder": entry.meta.get("embedder"),
            "reason": reason,
            "time": datetime.now(UTC).isoformat(),
        }
        with (self.root / "events.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(event) + "\n")
        if os.environ.get("PREFECT_API_URL"):  # a server is watching: let its trigger fire
            from flows.prefect.events import emit_promotion_event

            emit_promotion_event(event, flush=True)
        return event

    def events(self) -> list[dict[str, Any]]:
        file = self.root / "events.jsonl"
        if not file.exists():
            return []
        return [json.loads(line) for line in file.read_text().splitlines() if line.strip()]
