"""The .qdpx and .qdc files against the official REFI-QDA XSDs and an independent reader."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import xmlschema
from lxml import etree
from pyrefiqda import RefiCodebook, RefiProject

from pipeline.errors import Errors, TelaahError
from pipeline.findings import build_findings
from pipeline.refiqda import (
    MACHINE_USER,
    MACHINE_USER_NAME,
    ExportOptions,
    build_qdc,
    build_qdpx,
    project_xml,
)
from tests.pipeline.findings.study import build_study

XSD = Path(__file__).parent / "xsd"
WHEN = ExportOptions(created=datetime(2024, 5, 1, 9, 30, tzinfo=UTC))


@pytest.fixture(scope="module")
def study():
    return build_study()


@pytest.fixture(scope="module")
def findings(study):
    return build_findings(
        study.transcripts, study.segments, study.codes, study.embeddings, study.codebook
    )


@pytest.fixture(scope="module")
def qdpx(study, findings):
    return build_qdpx(
        findings, study.transcripts, study.segments, study.codes, study.codebook, WHEN
    )


@pytest.fixture(scope="module")
def project_schema():
    return xmlschema.XMLSchema(XSD / "Project.xsd")


@pytest.fixture(scope="module")
def codebook_schema():
    return xmlschema.XMLSchema(XSD / "Codebook.xsd")


def test_the_project_validates_against_the_official_schema(qdpx, project_schema):
    with zipfile.ZipFile(io.BytesIO(qdpx)) as archive:
        qde = archive.read("project.qde")
    project_schema.validate(qde)
    assert project_schema.is_valid(qde)


def test_the_codebook_validates_against_the_official_schema(study, findings, codebook_schema):
    codebook_schema.validate(build_qdc(study.codebook, findings))
    codebook_schema.validate(build_qdc(study.codebook))


def test_the_schemas_do_catch_a_broken_document(study, findings, project_schema, codebook_schema):
    qde = project_xml(
        findings, study.transcripts, study.segments, study.codes, study.codebook, WHEN
    )
    root = etree.fromstring(qde)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    selection = root.find(".//q:PlainTextSelection", ns)
    del selection.attrib["startPosition"]
    assert not project_schema.is_valid(etree.tostring(root))
    qdc = etree.fromstring(build_qdc(study.codebook))
    qdc.find(".//{urn:QDA-XML:codebook:1.0}Code").set("guid", "not-a-guid")
    assert not codebook_schema.is_valid(etree.tostring(qdc))


def test_the_archive_layout_follows_the_standard(qdpx, study):
    with zipfile.ZipFile(io.BytesIO(qdpx)) as archive:
        names = archive.namelist()
        assert names[0] == "project.qde"
        sources = [n for n in names if n.startswith("sources/")]
        assert len(sources) == len(study.transcripts)
        texts = {archive.read(n).decode("utf-8") for n in sources}
    assert texts == {t.text for t in study.transcripts}


def test_an_independent_reader_sees_every_suggestion_at_the_right_place(
    qdpx, study, findings, tmp_path
):
    path = tmp_path / "study.qdpx"
    path.write_bytes(qdpx)
    project = RefiProject.load(path, extract_dir=str(tmp_path / "x"))

    users = {u.guid: u.name for u in project.users.user}
    assert users[MACHINE_USER] == MACHINE_USER_NAME

    codes = {}

    def walk(code, parents=()):
        codes[code.guid] = (*parents, code.name)
        for child in code.code:
            walk(child, (*parents, code.name))

    for code in project.code_book.codes.code:
        walk(code)
    assert ("Fungsi segmen", "Hambatan", "Hambatan internal") in codes.values()
    assert any(trail[0] == "Tema hambatan" for trail in codes.values())

    segments = {(s.source_id, s.start, s.end): s for s in study.segments}
    names = {t.source.name: t.source.id for t in study.transcripts}
    coded = {c.segment_id: c for c in study.codes}
    seen = 0
    for source in project.sources.text_source:
        text = RefiProject.resolve_source_path(source.plain_text_path, tmp_path / "x").read_text(
            "utf-8"
        )
        for selection in source.plain_text_selection:
            segment = segments[
                (names[source.name], selection.start_position, selection.end_position)
            ]
            assert text[selection.start_position : selection.end_position] == segment.text
            assert selection.creating_user == MACHINE_USER
            applied = [codes[c.code_ref.target_guid] for c in selection.coding]
            assert all(c.creating_user == MACHINE_USER for c in selection.coding)
            code = coded[segment.id]
            if code.indicator:
                label = study.codebook.indicator(code.indicator).label
                assert any(trail[-1] == label for trail in applied)
            if code.function == "obstacle":
                scope = "internal" if code.scope == "internal" else "eksternal"
                assert any(trail[-1] == f"Hambatan {scope}" for trail in applied)
            seen += 1
    expected = sum(1 for c in study.codes if c.indicator or c.function != "other")
    assert seen == expected

    link_names = {(link.origin_guid, link.target_guid) for link in project.links.link}
    assert len(link_names) == len(findings.links)
    assert len(project.cases.case) == findings.corpus.n_informants
    assert all(not case.name.startswith(("Hendra", "Sri", "Budi")) for case in project.cases.case)


def test_an_independent_reader_reads_the_codebook(study, findings, tmp_path):
    path = tmp_path / "codebook.qdc"
    path.write_bytes(build_qdc(study.codebook, findings))
    codebook = RefiCodebook.load(path)
    top = [c.name for c in codebook.codes.code]
    assert top[:3] == [f"Indikator: {study.codebook.name}", "Fungsi segmen", "Penilaian bukti"]
    indicators = [c.name for c in codebook.codes.code[0].code]
    assert indicators == [i.label for i in study.codebook.indicators]
    assert codebook.codes.code[0].is_codable is False


def test_exports_are_deterministic_and_share_guids(study, findings, qdpx):
    again = build_qdpx(
        findings, study.transcripts, study.segments, study.codes, study.codebook, WHEN
    )
    assert again == qdpx
    qdc_guids = set(etree.fromstring(build_qdc(study.codebook, findings)).xpath("//@guid"))
    with zipfile.ZipFile(io.BytesIO(qdpx)) as archive:
        qde = etree.fromstring(archive.read("project.qde"))
    code_guids = set(qde.xpath("//*[local-name()='Code']/@guid"))
    assert qdc_guids == code_guids


def test_wrong_offsets_are_refused_before_anything_is_written(study, findings):
    shifted = [replace(study.segments[0], start=study.segments[0].start + 1), *study.segments[1:]]
    with pytest.raises(TelaahError) as exc:
        build_qdpx(findings, study.transcripts, shifted, study.codes, study.codebook, WHEN)
    assert exc.value.code is Errors.E605


def test_a_study_without_suggestions_still_validates(study, project_schema):
    quiet = [
        replace(c, function="other", indicator=None, assessment=None, scope=None)
        for c in study.codes
    ]
    found = build_findings(
        study.transcripts, study.segments, quiet, study.embeddings, study.codebook
    )
    qde = project_xml(found, study.transcripts, study.segments, quiet, study.codebook, WHEN)
    project_schema.validate(qde)
    assert b"PlainTextSelection" not in qde and b"<Links>" not in qde
