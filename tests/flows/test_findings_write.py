from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest

from flows.findings_write import write_findings
from pipeline.findings import build_findings, findings_from_dict, validate_findings
from pipeline.report import ReportOptions
from tests.pipeline.findings.study import build_study


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    study = build_study()
    findings = build_findings(
        study.transcripts, study.segments, study.codes, study.embeddings, study.codebook
    )
    out = tmp_path_factory.mktemp("out")
    result = write_findings(
        out, findings, study.transcripts, study.segments, study.codes, codebook=study.codebook
    )
    return study, findings, out, result


def test_every_output_is_written(written):
    _, _, out, result = written
    for name in (
        "findings.json",
        "report.md",
        "report.html",
        "project.qdpx",
        "codebook.qdc",
        "charts/balance.svg",
        "charts/heatmap.svg",
        "charts/themes.svg",
        "tables/README.md",
    ):
        assert (out / name).is_file(), name
    assert set(result.timings) == {"findings.json", "tables", "reports", "refi-qda"}
    assert not list(out.rglob("*.tmp"))


def test_findings_json_validates_and_reads_back(written):
    _, findings, out, _ = written
    data = json.loads((out / "findings.json").read_text("utf-8"))
    validate_findings(data)
    assert findings_from_dict(data) == findings


def test_each_table_loads_in_one_line_and_joins_on_segment_ids(written):
    study, findings, out, _ = written
    segments = pd.read_parquet(out / "tables" / "segments.parquet")
    codes = pd.read_parquet(out / "tables" / "codes.parquet")
    themes = pd.read_parquet(out / "tables" / "themes.parquet")
    links = pd.read_parquet(out / "tables" / "links.parquet")
    indicators = pd.read_parquet(out / "tables" / "indicators.parquet")
    assert len(segments) == len(study.segments) and len(codes) == len(study.codes)
    joined = codes.merge(segments, left_on="segment_id", right_on="id")
    assert len(joined) == len(codes)
    members = themes.explode("segment_ids")
    assert set(members["segment_ids"]) <= set(segments["id"])
    assert len(links) == len(findings.links) and list(links["effort_theme"]) == [
        link.effort_theme for link in findings.links
    ]
    assert list(indicators["judgement"]) == [i.judgement.label for i in findings.indicators]


def test_markdown_links_the_chart_files_and_the_project_opens(written):
    _, _, out, _ = written
    md = (out / "report.md").read_text("utf-8")
    assert "](charts/balance.svg)" in md and "](charts/heatmap.svg)" in md
    with zipfile.ZipFile(io.BytesIO((out / "project.qdpx").read_bytes())) as archive:
        assert "project.qde" in archive.namelist()


def test_report_options_reach_the_reports(tmp_path, written):
    study, findings, _, _ = written
    write_findings(
        tmp_path,
        findings,
        study.transcripts,
        study.segments,
        study.codes,
        codebook=study.codebook,
        report_options=ReportOptions(speakers="names", pseudonymise_quotes=False),
    )
    assert "Hendra Wijaya" in (tmp_path / "report.html").read_text("utf-8")


def test_tables_can_be_json_lines(tmp_path, written):
    from flows.io.tables import read_table

    study, findings, _, _ = written
    result = write_findings(
        tmp_path,
        findings,
        study.transcripts,
        study.segments,
        study.codes,
        codebook=study.codebook,
        table_format="jsonl",
    )
    themes = read_table(result.files["table:themes"])
    assert result.files["table:themes"].suffix == ".jsonl"
    assert list(themes["theme"]) == [t.id for t in findings.themes]
