"""The ``.qdpx`` project: transcripts, code system and every machine suggestion, for QDA tools.

Each coded segment becomes a ``PlainTextSelection`` at its exact character offsets (Unicode
code points, end exclusive, as REFI-QDA 1.5 §10.2 and the tools count them) with one
``Coding`` per suggested code. Selections and codings are created by a separate user, "Telaah
(saran mesin)", so in the researcher's tool every machine suggestion is visibly the machine's
and can be filtered, reviewed, accepted or deleted as a block. Effort-to-obstacle links become
REFI-QDA ``Link`` elements between theme codes.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from lxml import etree

from pipeline.codebook.model import Codebook
from pipeline.errors import Errors, TelaahError
from pipeline.findings.codes import function_score
from pipeline.findings.indonesian import ASSESSMENT_LABELS, FUNCTION_LABELS, decimal, role_label
from pipeline.findings.model import Findings
from pipeline.findings.summary import findings_summary
from pipeline.records import Code, Segment, Transcript
from pipeline.refiqda.codebook import ORIGIN, code_element
from pipeline.refiqda.codetree import (
    assessment_key,
    code_tree,
    function_key,
    guid,
    indicator_key,
    theme_key,
)

PROJECT_NS = "urn:QDA-XML:project:1.0"
MACHINE_USER = guid("user", "telaah-machine")
RESEARCHER_USER = guid("user", "researcher")
MACHINE_USER_NAME = "Telaah (saran mesin)"


@dataclass(frozen=True)
class ExportOptions:
    project_name: str | None = None
    created: datetime | None = None
    case_names: Literal["pseudonyms", "names"] = "pseudonyms"


def _q(tag: str) -> str:
    return f"{{{PROJECT_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _q(tag))
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


def project_xml(
    findings: Findings,
    transcripts: Sequence[Transcript],
    segments: Sequence[Segment],
    codes: Sequence[Code],
    codebook: Codebook,
    options: ExportOptions | None = None,
) -> bytes:
    """The ``project.qde`` document alone (UTF-8 bytes)."""
    options = options or ExportOptions()
    check_offsets(transcripts, segments)
    stamp = (options.created or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = etree.Element(_q("Project"), nsmap={None: PROJECT_NS})
    root.set("name", options.project_name or f"Telaah: {codebook.name}")
    root.set("origin", ORIGIN)
    root.set("creatingUserGUID", RESEARCHER_USER)
    root.set("creationDateTime", stamp)

    users = _sub(root, "Users")
    _sub(users, "User", guid=RESEARCHER_USER, name="Peneliti")
    _sub(users, "User", guid=MACHINE_USER, name=MACHINE_USER_NAME, id="telaah")

    codes_el = _sub(_sub(root, "CodeBook"), "Codes")
    tree = code_tree(codebook, findings)
    for node in tree:
        code_element(codes_el, node, PROJECT_NS)
    known = {n.key: n.guid for top in tree for n in top.walk()}

    _variables_and_cases(root, findings, options)
    _sources(root, findings, transcripts, segments, codes, codebook, known, stamp)
    note_guid = guid("note", f"method:{codebook.id}")
    note = _sub(
        _sub(root, "Notes"),
        "Note",
        guid=note_guid,
        name="Catatan Telaah",
        creatingUser=MACHINE_USER,
        creationDateTime=stamp,
    )
    text = "\n".join([*findings_summary(findings), "", findings.method.judgement_rule])
    _sub(note, "PlainTextContent").text = text
    if findings.links:
        links = _sub(root, "Links")
        for link in findings.links:
            _sub(
                links,
                "Link",
                guid=guid("link", f"{codebook.id}:{link.effort_theme}->{link.obstacle_theme}"),
                name="menjawab hambatan",
                direction="OneWay",
                originGUID=known[theme_key(codebook.id, link.effort_theme)],
                targetGUID=known[theme_key(codebook.id, link.obstacle_theme)],
            )
    _sub(root, "Description").text = (
        f"Saran pengodean Telaah dengan kodebuku {codebook.id} ({codebook.theory}). "
        f"Semua seleksi dibuat oleh pengguna '{MACHINE_USER_NAME}' dan perlu diperiksa peneliti."
    )
    _sub(root, "NoteRef", targetGUID=note_guid)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _variables_and_cases(root: etree._Element, findings: Findings, options: ExportOptions) -> None:
    variables = _sub(root, "Variables")
    role_var = guid("variable", "role")
    category_var = guid("variable", "role_category")
    _sub(variables, "Variable", guid=role_var, name="Peran informan", typeOfVariable="Text")
    _sub(variables, "Variable", guid=category_var, name="Kategori peran", typeOfVariable="Text")
    if not findings.corpus.informants:
        return
    cases = _sub(root, "Cases")
    for informant in findings.corpus.informants:
        name = informant.pseudonym
        if options.case_names == "names" and informant.name:
            name = informant.name
        case = _sub(cases, "Case", guid=guid("case", informant.key), name=name)
        for var, value in (
            (role_var, informant.role or ""),
            (category_var, role_label(informant.role_category)),
        ):
            holder = _sub(case, "VariableValue")
            _sub(holder, "VariableRef", targetGUID=var)
            _sub(holder, "TextValue").text = value
        _sub(case, "SourceRef", targetGUID=guid("source", informant.source_id))


def _sources(
    root: etree._Element,
    findings: Findings,
    transcripts: Sequence[Transcript],
    segments: Sequence[Segment],
    codes: Sequence[Code],
    codebook: Codebook,
    known: dict[str, str],
    stamp: str,
) -> None:
    theme_of = {sid: t.id for t in findings.themes for sid in t.segment_ids}
    by_id = {c.segment_id: c for c in codes}
    by_source: dict[str, list[Segment]] = defaultdict(list)
    for segment in segments:
        by_source[segment.source_id].append(segment)
    if not transcripts:
        return  # the schema requires at least one source inside <Sources>
    sources = _sub(root, "Sources")
    for transcript in sorted(transcripts, key=lambda t: t.source.name):
        source_guid = guid("source", transcript.source.id)
        element = _sub(
            sources,
            "TextSource",
            guid=source_guid,
            name=transcript.source.name,
            plainTextPath=f"internal://{source_guid}.txt",
            creatingUser=RESEARCHER_USER,
            creationDateTime=stamp,
        )
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
            _sub(element, "Description").text = "; ".join(details)
        for segment in sorted(by_source[transcript.source.id], key=lambda s: s.start):
            code = by_id.get(segment.id)
            keys = applied_codes(code, codebook.id, theme_of) if code else []
            if not keys or code is None:
                continue
            selection = _sub(
                element,
                "PlainTextSelection",
                guid=guid("selection", segment.id),
                name=" ".join(segment.text.split())[:60],
                startPosition=str(segment.start),
                endPosition=str(segment.end),
                creatingUser=MACHINE_USER,
                creationDateTime=stamp,
            )
            _sub(selection, "Description").text = _suggestion_note(code)
            for key in keys:
                coding = _sub(
                    selection,
                    "Coding",
                    guid=guid("coding", f"{segment.id}|{key}"),
                    creatingUser=MACHINE_USER,
                    creationDateTime=stamp,
                )
                _sub(coding, "CodeRef", targetGUID=known[key])


def build_qdpx(
    findings: Findings,
    transcripts: Sequence[Transcript],
    segments: Sequence[Segment],
    codes: Sequence[Code],
    codebook: Codebook,
    options: ExportOptions | None = None,
) -> bytes:
    """The zipped project: ``project.qde`` and ``sources/<guid>.txt`` (UTF-8) per transcript."""
    options = options or ExportOptions()
    created = (options.created or datetime.now(UTC)).astimezone(UTC)
    fixed = ExportOptions(options.project_name, created, options.case_names)
    qde = project_xml(findings, transcripts, segments, codes, codebook, fixed)
    stamp = created.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("project.qde", stamp), qde, zipfile.ZIP_DEFLATED)
        for transcript in sorted(transcripts, key=lambda t: t.source.name):
            name = f"sources/{guid('source', transcript.source.id)}.txt"
            data = transcript.text.encode("utf-8")
            archive.writestr(zipfile.ZipInfo(name, stamp), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
