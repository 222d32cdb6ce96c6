"""The ``TextSource`` elements of a ``.qdpx`` project: one transcript and its suggestions each.

Kept apart from :mod:`pipeline.refiqda.project` because a streaming export builds them one
source at a time (a corpus never fits in one XML tree), while the project around them is
small. Each coded segment becomes a ``PlainTextSelection`` at its exact character offsets with
one ``Coding`` per suggested code, created by the machine user so the researcher can tell
machine suggestions from their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from lxml import etree

from pipeline.errors import Errors, TelaahError
from pipeline.findings.codes import function_score
from pipeline.findings.indonesian import ASSESSMENT_LABELS, FUNCTION_LABELS, decimal
from pipeline.records import Code, Segment, Transcript
from pipeline.refiqda.codetree import assessment_key, function_key, guid, indicator_key, theme_key

PROJECT_NS = "urn:QDA-XML:project:1.0"
MACHINE_USER = guid("user", "telaah-machine")
RESEARCHER_USER = guid("user", "researcher")
MACHINE_USER_NAME = "Telaah (saran mesin)"


def qname(tag: str) -> str:
    return f"{{{PROJECT_NS}}}{tag}"


def sub_element(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, qname(tag))
    for key, value in attrs.items():
        element.set(key, value)
    return element


def check_offsets(transcripts: Sequence[Transcript], segments: Sequence[Segment]) -> None:
    """A selection at wrong offsets silently codes the wrong words; refuse instead."""
    texts = {t.source.id: t for t in transcripts}
    for segment in segments:
        transcript = texts.get(segment.source_id)
        if transcript is None:
            raise TelaahError.make(
                Errors.E606, segment=segment.id, source=segment.source_id, count=len(texts)
            )
        if transcript.text[segment.start : segment.end] != segment.text:
            raise TelaahError.make(
                Errors.E605,
                segment=segment.id,
                start=segment.start,
                end=segment.end,
                source=transcript.source.name,
            )


def applied_codes(code: Code, codebook_id: str, theme_of: dict[str, str]) -> list[str]:
    """Code keys a segment's suggestion applies, most specific first."""
    keys = []
    if code.indicator:
        keys.append(indicator_key(codebook_id, code.indicator))
        if code.assessment in ("positive", "negative", "mixed"):
            keys.append(assessment_key(code.assessment))
    if code.function in ("obstacle", "effort", "supporting_factor"):
        scope = code.scope if code.function == "obstacle" else None
        keys.append(function_key(code.function, scope))
    if code.segment_id in theme_of:
        keys.append(theme_key(codebook_id, theme_of[code.segment_id]))
    return keys


def _suggestion_note(code: Code) -> str:
    parts = [f"Saran Telaah (model {code.model_version})"]
    if code.indicator:
        parts.append(f"indikator {code.indicator} ({decimal(code.indicator_score)})")
    label = FUNCTION_LABELS.get(code.function, code.function).lower()
    parts.append(f"fungsi {label} ({decimal(function_score(code))})")
    if code.scope:
        parts.append(f"lingkup {code.scope}")
    if code.assessment:
        parts.append(f"penilaian {ASSESSMENT_LABELS.get(code.assessment, code.assessment)}")
    return "; ".join(parts) + "."


SourceBundle = tuple[Transcript, Sequence[Segment], Mapping[str, Code]]
"""One transcript with its segments and their codes (by segment id): one ``TextSource``."""


def new_element(tag: str) -> etree._Element:
    return etree.Element(qname(tag), nsmap={None: PROJECT_NS})


def bundles(
    transcripts: Sequence[Transcript], segments: Sequence[Segment], codes: Sequence[Code]
) -> list[SourceBundle]:
    """In-memory records as source bundles, sorted by source name as the export orders them."""
    by_id = {c.segment_id: c for c in codes}
    by_source: dict[str, list[Segment]] = defaultdict(list)
    for segment in segments:
        by_source[segment.source_id].append(segment)
    return [
        (
            t,
            by_source[t.source.id],
            {s.id: by_id[s.id] for s in by_source[t.source.id] if s.id in by_id},
        )
        for t in sorted(transcripts, key=lambda t: t.source.name)
    ]


def text_source(
    transcript: Transcript,
    segments: Sequence[Segment],
    codes: Mapping[str, Code],
    codebook_id: str,
    theme_of: dict[str, str],
    known: dict[str, str],
    stamp: str,
) -> etree._Element:
    source_guid = guid("source", transcript.source.id)
    element = new_element("TextSource")
    for key, value in (
        ("guid", source_guid),
        ("name", transcript.source.name),
        ("plainTextPath", f"internal://{source_guid}.txt"),
        ("creatingUser", RESEARCHER_USER),
        ("creationDateTime", stamp),
    ):
        element.set(key, value)
    meta = transcript.meta
    details = [
        f"{label}: {value}"
        for label, value in (
            ("Peran", meta.role),
            ("Kantor", meta.office),
            ("Tempat", meta.place),
            ("Tanggal", meta.date or meta.date_text),
        )
        if value
    ]
    if details:
        sub_element(element, "Description").text = "; ".join(details)
    for segment in sorted(segments, key=lambda s: s.start):
        code = codes.get(segment.id)
        keys = applied_codes(code, codebook_id, theme_of) if code else []
        if not keys or code is None:
            continue
        selection = sub_element(
            element,
            "PlainTextSelection",
            guid=guid("selection", segment.id),
            name=" ".join(segment.text.split())[:60],
            startPosition=str(segment.start),
            endPosition=str(segment.end),
            creatingUser=MACHINE_USER,
            creationDateTime=stamp,
        )
        sub_element(selection, "Description").text = _suggestion_note(code)
        for key in keys:
            coding = sub_element(
                selection,
                "Coding",
                guid=guid("coding", f"{segment.id}|{key}"),
                creatingUser=MACHINE_USER,
                creationDateTime=stamp,
            )
            sub_element(coding, "CodeRef", targetGUID=known[key])
    return element
