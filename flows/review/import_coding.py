"""``telaah import-coding``: a .qdpx coded elsewhere becomes weighted training segments.

Reads the zip (refusing oversized members: a .qdpx is attacker-controlled input), resolves each
source's text (``internal://`` files or inline ``PlainTextContent``), matches codes to the
codebook and writes labelled segments in the ``corpora/train`` JSON-lines format, ready for
``telaah review-train DIR --extra FILE``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from flows.io.atomic import write_text
from flows.review.learn import REVIEW_WEIGHT, labelled_from_decision
from models.training.data import LabelledSegment
from pipeline.codebook.model import Codebook
from pipeline.errors import Errors, TelaahError
from pipeline.review.coding_import import NS, match, name_targets, parse_project, unmatched_report

log = logging.getLogger(__name__)
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MACHINE_USER_NAME = "Telaah (saran mesin)"


@dataclass
class ImportResult:
    examples: list[LabelledSegment]
    unmatched: Counter[str]
    n_selections: int
    skipped_machine: int
    indicators: list[str | None]  # per example, as matched (concepts may be empty for it)


def read_mapping(path: Path | None) -> dict[str, str]:
    """``code name<TAB or comma>target`` per line; ``#`` starts a comment."""
    if path is None:
        return {}
    mapping = {}
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        sep = "\t" if "\t" in line else ","
        name, _, target = line.rpartition(sep)
        if not name.strip() or not target.strip():
            raise TelaahError.make(
                Errors.E806, path=path, line=number, detail=f"cannot split {line!r}"
            )
        target = target.strip()
        if ":" not in target and target != "-":
            target = f"indicator:{target}"
        mapping[name.strip()] = target
    return mapping


def _read(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise TelaahError.make(
            Errors.E805, path=path, detail=f"{name} expands to {info.file_size} bytes"
        )
    return archive.read(name)


def import_qdpx(
    path: Path,
    codebook: Codebook,
    mapping: dict[str, str] | None = None,
    *,
    only_human: bool = False,
    weight: float = REVIEW_WEIGHT,
) -> ImportResult:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise TelaahError.make(Errors.E805, path=path, detail=str(exc)) from exc
    with archive:
        names = set(archive.namelist())
        if "project.qde" not in names:
            raise TelaahError.make(Errors.E805, path=path, detail="no project.qde inside")

        def source_text(source: etree._Element) -> str:
            inline = source.find("q:PlainTextContent", NS)
            if inline is not None:
                return inline.text or ""
            ref = (source.get("plainTextPath") or "").removeprefix("internal://")
            for candidate in (f"sources/{ref}", ref):
                if candidate in names:
                    return _read(archive, candidate, path).decode("utf-8-sig")
            log.warning("%s: no text for source %s", path, source.get("name"))
            return ""

        try:
            selections = parse_project(_read(archive, "project.qde", path), source_text)
        except etree.XMLSyntaxError as exc:
            raise TelaahError.make(Errors.E805, path=path, detail=str(exc)) from exc
    targets = name_targets(codebook)
    examples, matched, skipped = [], [], 0
    for sel in selections:
        if only_human and sel.users and set(sel.users) <= {MACHINE_USER_NAME}:
            skipped += 1
            continue
        labels = match(sel.codes, targets, mapping or {})
        matched.append(labels)
        key = hashlib.sha1(f"{sel.source}:{sel.start}:{sel.end}".encode()).hexdigest()[:16]
        example = labelled_from_decision(key, sel.text, labels.__dict__, codebook, weight)
        examples.append(LabelledSegment(**{**_fields(example), "id": f"import:{key}"}))
    indicators = [m.indicator for m in matched]
    return ImportResult(examples, unmatched_report(matched), len(selections), skipped, indicators)


def _fields(example: LabelledSegment) -> dict[str, object]:
    return {name: getattr(example, name) for name in LabelledSegment.__dataclass_fields__}


def write_examples(examples: list[LabelledSegment], target: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": e.id, "text": e.text, "concepts": list(e.concepts), "function": e.function,
                "scope": e.scope, "assessment": e.assessment, "weight": e.weight,
            },
            ensure_ascii=False,
        )
        for e in examples
    ]  # fmt: skip
    write_text(target, "".join(line + "\n" for line in lines))
