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
import itertools
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any, Literal

from lxml import etree

from pipeline.codebook.model import Codebook
from pipeline.findings.indonesian import role_label
from pipeline.findings.model import Findings
from pipeline.findings.summary import findings_summary
from pipeline.records import Code, Segment, Transcript
from pipeline.refiqda.codebook import ORIGIN, code_element
from pipeline.refiqda.codetree import (
    code_tree,
    guid,
    theme_key,
)
from pipeline.refiqda.sources import (
    MACHINE_USER,
    MACHINE_USER_NAME,
    PROJECT_NS,
    RESEARCHER_USER,
    SourceBundle,
    bundles,
    check_offsets,
    new_element,
    qname,
    sub_element,
    text_source,
)


@dataclass(frozen=True)
class ExportOptions:
    project_name: str | None = None
    created: datetime | None = None
    case_names: Literal["pseudonyms", "names"] = "pseudonyms"


def _stamp(options: ExportOptions) -> str:
    return (options.created or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_project(
    out: IO[bytes],
    findings: Findings,
    codebook: Codebook,
    sources: Iterable[SourceBundle],
    options: ExportOptions | None = None,
) -> None:
    """``project.qde`` written into ``out`` element by element, one source at a time.

    ``sources`` in the order they should appear (by name); each is checked (E605) just before
    it is written, so a caller streaming a corpus never holds more than one source's records.
    """
    options = options or ExportOptions()
    stamp = _stamp(options)
    attrs = {
        "name": options.project_name or f"Telaah: {codebook.name}",
        "origin": ORIGIN,
        "creatingUserGUID": RESEARCHER_USER,
        "creationDateTime": stamp,
    }
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(qname("Project"), attrs, nsmap={None: PROJECT_NS}):
            users = new_element("Users")
            sub_element(users, "User", guid=RESEARCHER_USER, name="Peneliti")
            sub_element(users, "User", guid=MACHINE_USER, name=MACHINE_USER_NAME, id="telaah")
            book = new_element("CodeBook")
            codes_el = sub_element(book, "Codes")
            tree = code_tree(codebook, findings)
            for node in tree:
                code_element(codes_el, node, PROJECT_NS)
            known = {n.key: n.guid for top in tree for n in top.walk()}
            cases = new_element("Project")
            _variables_and_cases(cases, findings, options)
            for element in (users, book, *cases):
                xf.write(element, pretty_print=True)
            _write_sources(xf, findings, codebook, sources, known, stamp)
            for element in _closing(findings, codebook, known, stamp):
                xf.write(element, pretty_print=True)


def _write_sources(
    xf: Any,
    findings: Findings,
    codebook: Codebook,
    sources: Iterable[SourceBundle],
    known: dict[str, str],
    stamp: str,
) -> None:
    theme_of = {sid: t.id for t in findings.themes for sid in t.segment_ids}
    bundles = iter(sources)
    first = next(bundles, None)
    if first is None:
        return  # the schema requires at least one source inside <Sources>
    with xf.element(qname("Sources")):
        for transcript, segments, codes in itertools.chain([first], bundles):
            check_offsets([transcript], segments)
            xf.write(
                text_source(transcript, segments, codes, codebook.id, theme_of, known, stamp),
                pretty_print=True,
            )


def _closing(
    findings: Findings, codebook: Codebook, known: dict[str, str], stamp: str
) -> list[etree._Element]:
    """Notes, Links, Description and NoteRef: what follows the sources."""
    note_guid = guid("note", f"method:{codebook.id}")
    notes = new_element("Notes")
    note = sub_element(notes, "Note", guid=note_guid, name="Catatan Telaah",
                creatingUser=MACHINE_USER, creationDateTime=stamp)  # fmt: skip
    text = "\n".join([*findings_summary(findings), "", findings.method.judgement_rule])
    sub_element(note, "PlainTextContent").text = text
    out = [notes]
    if findings.links:
        links = new_element("Links")
        for link in findings.links:
            sub_element(
                links,
                "Link",
                guid=guid("link", f"{codebook.id}:{link.effort_theme}->{link.obstacle_theme}"),
                name="menjawab hambatan",
                direction="OneWay",
                originGUID=known[theme_key(codebook.id, link.effort_theme)],
                targetGUID=known[theme_key(codebook.id, link.obstacle_theme)],
            )
        out.append(links)
    description = new_element("Description")
    description.text = (
        f"Saran pengodean Telaah dengan kodebuku {codebook.id} ({codebook.theory}). "
        f"Semua seleksi dibuat oleh pengguna '{MACHINE_USER_NAME}' dan perlu diperiksa peneliti."
    )
    note_ref = new_element("NoteRef")
    note_ref.set("targetGUID", note_guid)
    return [*out, description, note_ref]


def project_xml(
    findings: Findings,
    transcripts: Sequence[Transcript],
    segments: Sequence[Segment],
    codes: Sequence[Code],
    codebook: Codebook,
    options: ExportOptions | None = None,
) -> bytes:
    """The ``project.qde`` document alone (UTF-8 bytes)."""
    check_offsets(transcripts, segments)
    buffer = io.BytesIO()
    write_project(buffer, findings, codebook, bundles(transcripts, segments, codes), options)
    return buffer.getvalue()


def _variables_and_cases(root: etree._Element, findings: Findings, options: ExportOptions) -> None:
    variables = sub_element(root, "Variables")
    role_var = guid("variable", "role")
    category_var = guid("variable", "role_category")
    sub_element(variables, "Variable", guid=role_var, name="Peran informan", typeOfVariable="Text")
    sub_element(
        variables, "Variable", guid=category_var, name="Kategori peran", typeOfVariable="Text"
    )
    if not findings.corpus.informants:
        return
    cases = sub_element(root, "Cases")
    for informant in findings.corpus.informants:
        name = informant.pseudonym
        if options.case_names == "names" and informant.name:
            name = informant.name
        case = sub_element(cases, "Case", guid=guid("case", informant.key), name=name)
        for var, value in (
            (role_var, informant.role or ""),
            (category_var, role_label(informant.role_category)),
        ):
            holder = sub_element(case, "VariableValue")
            sub_element(holder, "VariableRef", targetGUID=var)
            sub_element(holder, "TextValue").text = value
        sub_element(case, "SourceRef", targetGUID=guid("source", informant.source_id))


def write_qdpx(
    out: IO[bytes],
    findings: Findings,
    codebook: Codebook,
    sources: Iterable[SourceBundle],
    texts: Iterable[Transcript],
    options: ExportOptions | None = None,
) -> None:
    """The zipped project into ``out``: ``project.qde``, then ``sources/<guid>.txt`` per text.

    Both iterables are consumed once, in that order and in the same source order, so a caller
    can produce them lazily from disk; the zip is written entry by entry.
    """
    options = options or ExportOptions()
    created = (options.created or datetime.now(UTC)).astimezone(UTC)
    fixed = ExportOptions(options.project_name, created, options.case_names)
    stamp = created.timetuple()[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("project.qde", stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as entry:
            write_project(entry, findings, codebook, sources, fixed)
        for transcript in texts:
            name = f"sources/{guid('source', transcript.source.id)}.txt"
            data = transcript.text.encode("utf-8")
            archive.writestr(zipfile.ZipInfo(name, stamp), data, zipfile.ZIP_DEFLATED)


def build_qdpx(
    findings: Findings,
    transcripts: Sequence[Transcript],
    segments: Sequence[Segment],
    codes: Sequence[Code],
    codebook: Codebook,
    options: ExportOptions | None = None,
) -> bytes:
    """The zipped project as bytes, from records in memory."""
    check_offsets(transcripts, segments)
    ordered = bundles(transcripts, segments, codes)
    buffer = io.BytesIO()
    write_qdpx(buffer, findings, codebook, ordered, (b[0] for b in ordered), options)
    return buffer.getvalue()
