from __future__ import annotations

import re
from dataclasses import replace

import pytest

from pipeline.errors import Errors, TelaahError
from pipeline.findings import Pseudonymiser, build_findings
from pipeline.report import ReportOptions, render_html, render_markdown, role_heatmap
from pipeline.report.charts import evidence_balance, strip_ids, theme_sizes
from tests.pipeline.findings.study import build_study

NAMES = ("Hendra", "Wijaya", "Rahayu", "Santoso", "Hartono", "Masitah", "Joko")


@pytest.fixture(scope="module")
def study():
    return build_study()


@pytest.fixture(scope="module")
def findings(study):
    found = build_findings(
        study.transcripts, study.segments, study.codes, study.embeddings, study.codebook
    )
    # a quote that names a colleague and contains markup, to test masking and escaping
    item = found.indicators[0]
    quote = replace(item.quotes[0], text="Pak Hendra bilang <b>bagus</b> & rapi.")
    indicators = (replace(item, quotes=(quote, *item.quotes[1:])), *found.indicators[1:])
    return replace(found, indicators=indicators)


@pytest.fixture(scope="module")
def pseudonymiser(study):
    return Pseudonymiser.from_transcripts(study.transcripts)


def test_markdown_is_shaped_like_a_findings_chapter(findings, pseudonymiser):
    md = render_markdown(findings, pseudonymiser=pseudonymiser, charts={"balance": "charts/b.svg"})
    headings = re.findall(r"^(#{1,4}) (.+)$", md, flags=re.M)
    titles = [t for _, t in headings]
    assert titles[0].startswith("Temuan Penelitian")
    for expected in (
        "Ringkasan",
        "A.1 Kualitas Kerja: baik",
        "B. Hambatan",
        "B.1 Hambatan internal",
        "C. Upaya Mengatasi Hambatan",
        "D. Faktor Pendukung",
        "Catatan Metode",
    ):
        assert any(t.startswith(expected) for t in titles), expected
    assert "| Ketepatan Waktu | 4 | 4 | 0 | 4 | 0 | 0,00 | **kurang baik** |" in md
    assert "![Sebaran bukti per indikator](charts/b.svg)" in md
    assert "Menjawab H0" in md and "Tidak ada segmen faktor pendukung" in md
    assert "*Kepala Bidang Pelayanan*" in md or "*Kepala Dinas*" in md
    assert findings.method.judgement_rule in md


def test_roles_are_shown_and_names_are_masked_by_default(findings, pseudonymiser):
    for text in (
        render_markdown(findings, pseudonymiser=pseudonymiser),
        render_html(findings, pseudonymiser=pseudonymiser),
    ):
        for name in NAMES:
            assert name not in text, name
        assert "Pak A bilang" in text


def test_names_appear_only_when_asked(findings, pseudonymiser):
    options = ReportOptions(speakers="names", pseudonymise_quotes=False)
    md = render_markdown(findings, options, pseudonymiser)
    assert "Hendra Wijaya (Kepala Dinas)" in md or "Budi Santoso (Staf Pelayanan)" in md
    assert "Pak Hendra bilang" in md
    pseudo = render_markdown(findings, ReportOptions(speakers="pseudonyms"), pseudonymiser)
    assert re.search(r"\*Informan [A-F] \(", pseudo)


def test_a_report_can_be_rendered_from_findings_alone(findings):
    md = render_markdown(findings)  # pseudonymiser rebuilt from the findings' informants
    assert "Hendra" not in md and "Pak A bilang" in md


def test_html_is_self_contained_escaped_and_has_unique_svg_ids(findings, pseudonymiser):
    html = render_html(findings, pseudonymiser=pseudonymiser)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="id">' in html
    assert "<script" not in html and "<link" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "url(http" not in html
    assert "&lt;b&gt;bagus&lt;/b&gt; &amp; rapi" in html
    assert html.count("<svg") == 3
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'class="badge level-4">baik<' in html


def test_charts_are_deterministic_svg(findings):
    for chart in (role_heatmap, evidence_balance, theme_sizes):
        svg = chart(findings)
        assert svg.startswith("<svg") and svg == chart(findings)
    heat = role_heatmap(findings)
    for label in ("Pimpinan", "Masyarakat", "Kualitas Kerja", "n=2"):
        assert label in heat
    assert theme_sizes(replace(findings, themes=())) is None
    assert strip_ids('<g id="a"><use href="#a"/></g>', "x") == '<g id="x-a"><use href="#x-a"/></g>'


def test_invalid_options_are_refused(findings):
    with pytest.raises(TelaahError) as exc:
        render_markdown(findings, ReportOptions(speakers="nama"))  # type: ignore[arg-type]
    assert exc.value.code is Errors.E608 and "roles" in str(exc.value)
