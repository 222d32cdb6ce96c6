"""Coded selections from a REFI-QDA project (``project.qde``), matched to a codebook.

Pure: the caller hands in the XML and a function that returns a source's plain text, so the
same code reads projects from NVivo, ATLAS.ti, MAXQDA, QualCoder or Telaah's own export. Code
names are matched to indicators (by id, label or sub-indicator), to segment functions and to
assessments, after case and punctuation folding; a mapping (code name -> target) overrides
that, and every code that matched nothing is reported with how often it was used, so a
researcher can write the mapping instead of silently losing coding.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lxml import etree

from pipeline.codebook.model import Codebook
from pipeline.findings.indonesian import ASSESSMENT_LABELS, FUNCTION_LABELS

NS = {"q": "urn:QDA-XML:project:1.0"}
IGNORE = "-"


def fold(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


@dataclass(frozen=True)
class Selection:
    source: str
    start: int
    end: int
    text: str
    codes: tuple[str, ...]
    users: tuple[str, ...]


@dataclass
class Matched:
    """Labels for one selection, and what could not be matched."""

    indicator: str | None = None
    function: str | None = None
    scope: str | None = None
    assessment: str | None = None
    unmatched: list[str] = field(default_factory=list)


def name_targets(codebook: Codebook) -> dict[str, str]:
    """Folded code name -> target (``indicator:ID``, ``function:F[:scope]``, ``assessment:A``)."""
    targets: dict[str, str] = {}
    for function, label in FUNCTION_LABELS.items():
        targets[fold(label)] = targets[fold(function)] = f"function:{function}"
    for scope, word in (("internal", "internal"), ("external", "eksternal")):
        targets[fold(f"hambatan {word}")] = targets[fold(f"obstacle {scope}")] = (
            f"function:obstacle:{scope}"
        )
    for assessment, label in ASSESSMENT_LABELS.items():
        targets[fold(label)] = targets[fold(assessment)] = f"assessment:{assessment}"
    for indicator in codebook.indicators:
        for name in (indicator.id, indicator.label, *indicator.sub_indicators):
            targets[fold(name)] = f"indicator:{indicator.id}"
    return targets


def match(
    codes: tuple[str, ...], targets: Mapping[str, str], mapping: Mapping[str, str]
) -> Matched:
    out = Matched()
    folded_mapping = {fold(k): v for k, v in mapping.items()}
    for code in codes:
        target = folded_mapping.get(fold(code)) or targets.get(fold(code))
        if target == IGNORE:
            continue
        if target is None:
            out.unmatched.append(code)
            continue
        kind, _, value = target.partition(":")
        if kind == "indicator" and out.indicator is None:
            out.indicator = value
        elif kind == "function":
            out.function, _, scope = value.partition(":")
            out.scope = scope or out.scope
        elif kind == "assessment":
            out.assessment = value
    if out.function is None:
        out.function = "indicator" if out.indicator else "other"
    return out


def parse_project(xml: bytes, source_text: Callable[[etree._Element], str]) -> list[Selection]:
    """Every coded plain-text selection of the project, with its code names and users."""
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    names = {c.get("guid"): c.get("name") or "" for c in root.iterfind(".//q:CodeBook//q:Code", NS)}
    users = {u.get("guid"): u.get("name") or "" for u in root.iterfind(".//q:Users/q:User", NS)}
    selections = []
    for source in root.iterfind(".//q:Sources/q:TextSource", NS):
        text = source_text(source)
        for sel in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition", 0)), int(sel.get("endPosition", 0))
            codings = sel.findall("q:Coding", NS)
            codes = tuple(
                names.get(ref.get("targetGUID"), "")
                for coding in codings
                for ref in coding.findall("q:CodeRef", NS)
            )
            who = {users.get(c.get("creatingUser"), "") for c in codings} | {
                users.get(sel.get("creatingUser"), "")
            }
            if codes and 0 <= start < end <= len(text):
                selections.append(
                    Selection(
                        source.get("name") or "",
                        start,
                        end,
                        text[start:end].strip(),
                        codes,
                        tuple(sorted(w for w in who if w)),
                    )
                )
    return selections


def unmatched_report(matched: list[Matched]) -> Counter[str]:
    return Counter(code for m in matched for code in m.unmatched)
