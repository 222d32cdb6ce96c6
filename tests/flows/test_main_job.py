"""The README's main job on the bundled sample corpus, end to end with the real model (slow)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from flows.cli.main import main
from tests.conftest import SAMPLE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def coded(trained_mitchell, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample_out")
    assert main(["code", str(SAMPLE), "--codebook", "mitchell", "--out", str(out)]) == 0
    return out


def test_everything_the_readme_promises_is_written(coded: Path) -> None:
    for name in ("findings.json", "report.md", "report.html", "project.qdpx", "codebook.qdc"):
        assert (coded / name).stat().st_size > 0, name
    for table in ("segments", "codes", "themes", "links", "indicators"):
        assert len(pd.read_parquet(coded / "tables" / f"{table}.parquet")) > 0, table


def test_findings_cover_every_indicator_and_trace_to_offsets(coded: Path) -> None:
    findings = json.loads((coded / "findings.json").read_text())
    assert {i["id"] for i in findings["indicators"]} == {
        "kualitas_kerja", "ketepatan_waktu", "inisiatif", "kemampuan", "komunikasi",
    }  # fmt: skip
    sources = pd.read_parquet(coded / "ingest" / "sources.parquet").set_index("source_id")
    segments = pd.read_parquet(coded / "tables" / "segments.parquet").set_index("id")
    quotes = [q for i in findings["indicators"] for q in i["quotes"]]
    assert quotes
    for quote in quotes:
        row = segments.loc[quote["segment_id"]]
        text = sources.loc[row["source_id"], "text"]
        assert text[row["start"] : row["end"]] == row["text"]
    functions = set(pd.read_parquet(coded / "tables" / "codes.parquet")["function"])
    assert {"indicator", "obstacle", "effort", "other"} <= functions


def test_report_hides_names_by_default_and_qdpx_holds_every_source(coded: Path) -> None:
    html = (coded / "report.html").read_text()
    assert "Rusdiansyah" not in html  # the head of office's name from 01's header
    with zipfile.ZipFile(coded / "project.qdpx") as archive:
        sources = [n for n in archive.namelist() if n.startswith("sources/")]
    assert len(sources) == len(list(SAMPLE.glob("[0-9]*")))
