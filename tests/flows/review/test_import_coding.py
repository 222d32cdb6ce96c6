"""Issue item 4: a .qdpx coded or corrected elsewhere becomes training segments.

Round trip: Telaah's own export is "corrected in another tool" (an XML edit, as NVivo or
QualCoder would save it), imported back, and the corrections come out as labels.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from flows.cli.main import main
from flows.review.import_coding import import_qdpx, read_mapping
from pipeline.errors import TelaahError
from pipeline.findings import build_findings
from pipeline.refiqda import build_qdpx
from pipeline.review.coding_import import NS
from tests.pipeline.findings.study import build_study

Q = "{urn:QDA-XML:project:1.0}"


def nvivo_like(
    path, codes: dict[str, str], selections: list[tuple[int, int, list[str]]], text: str
) -> None:
    """A minimal project as another tool writes it: inline text, researcher-made codings."""
    code_xml = "".join(f'<Code guid="{g}" name="{n}" isCodable="true"/>' for g, n in codes.items())
    sel_xml = "".join(
        f'<PlainTextSelection guid="s{i}" startPosition="{a}" endPosition="{b}" creatingUser="u1">'
        + "".join(
            f'<Coding guid="c{i}{g}" creatingUser="u1"><CodeRef targetGUID="{g}"/></Coding>'
            for g in refs
        )
        + "</PlainTextSelection>"
        for i, (a, b, refs) in enumerate(selections)
    )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t">'
        '<Users><User guid="u1" name="Peneliti"/></Users>'
        f"<CodeBook><Codes>{code_xml}</Codes></CodeBook>"
        f'<Sources><TextSource guid="t1" name="wawancara.txt"><PlainTextContent>{text}</PlainTextContent>{sel_xml}</TextSource></Sources>'
        "</Project>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)


TEXT = "Pelayanan sudah cepat sekali. Jaringan sering putus di kantor. Kami adakan sosialisasi."


def test_codes_are_matched_by_name_and_unmatched_are_reported(tmp_path):
    from models.codebooks import load_codebook

    codebook = load_codebook("mitchell")
    path = tmp_path / "nvivo.qdpx"
    nvivo_like(
        path,
        {
            "g1": "Ketepatan Waktu",
            "g2": "Positif",
            "g3": "Hambatan internal",
            "g4": "Sinyal",
            "g5": "UPAYA",
        },
        [(0, 29, ["g1", "g2"]), (30, 62, ["g3", "g4"]), (63, 87, ["g5"])],
        TEXT,
    )
    result = import_qdpx(path, codebook)
    assert result.n_selections == 3 and dict(result.unmatched) == {"Sinyal": 1}
    first, second, third = result.examples
    assert first.text == "Pelayanan sudah cepat sekali."
    assert codebook.indicator_for_concepts(first.concepts) == "ketepatan_waktu"
    assert (first.function, first.assessment) == ("indicator", "positive")
    assert (second.function, second.scope, second.concepts) == ("obstacle", "internal", ())
    assert third.function == "effort" and third.weight == 3.0
    mapping = tmp_path / "map.tsv"
    mapping.write_text("# code\ttarget\nSinyal\tkomunikasi\n", encoding="utf-8")
    mapped = import_qdpx(path, codebook, read_mapping(mapping))
    assert not mapped.unmatched
    assert codebook.indicator_for_concepts(mapped.examples[1].concepts) == "komunikasi"


def test_round_trip_of_telaah_export_corrected_elsewhere(tmp_path):
    study = build_study()
    findings = build_findings(
        study.transcripts, study.segments, study.codes, study.embeddings, study.codebook
    )
    qdpx = build_qdpx(findings, study.transcripts, study.segments, study.codes, study.codebook)
    archive = zipfile.ZipFile(io.BytesIO(qdpx))
    root = etree.fromstring(archive.read("project.qde"))
    codes = {c.get("name"): c.get("guid") for c in root.iterfind(".//q:CodeBook//q:Code", NS)}
    # "correct" the first indicator-coded selection: its indicator becomes Komunikasi
    target = None
    for sel in root.iterfind(".//q:PlainTextSelection", NS):
        refs = sel.findall("q:Coding/q:CodeRef", NS)
        if any(r.get("targetGUID") == codes["Kualitas Kerja"] for r in refs):
            for r in refs:
                if r.get("targetGUID") == codes["Kualitas Kerja"]:
                    r.set("targetGUID", codes["Komunikasi"])
            target = (int(sel.get("startPosition")), int(sel.get("endPosition")))
            break
    assert target is not None
    out = tmp_path / "corrected.qdpx"
    with zipfile.ZipFile(out, "w") as new:
        for name in archive.namelist():
            data = (
                etree.tostring(root, xml_declaration=True, encoding="utf-8")
                if name == "project.qde"
                else archive.read(name)
            )
            new.writestr(name, data)
    result = import_qdpx(out, study.codebook)
    assert result.examples and result.n_selections == len(result.examples)
    by_span = dict(zip(((e.text) for e in result.examples), result.indicators, strict=True))
    transcript = next(
        t for t in study.transcripts if t.text[target[0] : target[1]].strip() in by_span
    )
    assert by_span[transcript.text[target[0] : target[1]].strip()] == "komunikasi"
    assert "kualitas_kerja" in result.indicators  # the uncorrected selections keep their codes
    machine_only = import_qdpx(out, study.codebook, only_human=True)
    assert machine_only.skipped_machine == result.n_selections and not machine_only.examples


def test_cli_writes_training_segments_and_exits_1_on_unmatched(tmp_path):
    path = tmp_path / "p.qdpx"
    nvivo_like(
        path, {"g1": "Komunikasi", "g9": "Kode asing"}, [(0, 29, ["g1"]), (30, 62, ["g9"])], TEXT
    )
    out = tmp_path / "imported.jsonl"
    assert main(["import-coding", str(path), "--codebook", "mitchell", "--out", str(out)]) == 1
    from models.training.data import load_examples

    examples = load_examples([out])
    assert len(examples) == 2 and examples[0].weight == 3.0 and examples[1].function == "other"


def test_broken_file_is_a_clear_error(tmp_path):
    from models.codebooks import load_codebook

    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(TelaahError, match="E805"):
        import_qdpx(bad, load_codebook("mitchell"))
