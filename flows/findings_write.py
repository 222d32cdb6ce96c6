"""Write everything a finished analysis consists of into one output directory.

``findings.json`` (validated against its schema before it is written), the tables, the
reports with their charts, and the REFI-QDA project and codebook. Every file is written
atomically, so an interrupted run never leaves a half-written report beside a complete one
that looks current.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pandas as pd

from flows.io.atomic import atomic_path, write_bytes, write_json, write_text
from flows.io.tables import segments_frame, write_table
from pipeline.codebook.model import Codebook
from pipeline.findings import (
    Findings,
    Pseudonymiser,
    code_row,
    findings_to_dict,
    validate_findings,
)
from pipeline.findings.codes import CODE_COLUMNS
from pipeline.records import Code, Segment, Transcript
from pipeline.refiqda import ExportOptions, build_qdc, build_qdpx
from pipeline.report import (
    ReportOptions,
    evidence_balance,
    render_html,
    render_markdown,
    role_heatmap,
    theme_sizes,
)

log = logging.getLogger(__name__)

TABLES_README = """\
# Tabel temuan Telaah

Setiap tabel dapat dibuka dengan satu baris pandas, misalnya:

    import pandas as pd
    codes = pd.read_parquet("tables/codes.parquet")

- `segments.parquet`: satu baris per segmen (id, source_id, start, end, text, normalized,
  speaker, role, role_category, question, ...). `text == transkrip[start:end]`.
- `codes.parquet`: satu baris per segmen yang dikodekan: indicator, indicator_score,
  function, function_score, p_<fungsi> (probabilitas tiap fungsi), scope, assessment,
  model_version, indicators (daftar {id, score}). Gabungkan dengan segmen lewat
  `segment_id` = `segments.id`.
- `indicators.parquet`: satu baris per indikator: jumlah segmen dan informan, sebaran bukti,
  skor dan penilaian, segment_ids.
- `themes.parquet`: satu baris per tema: function, label, category, scope, keyphrases,
  n_segments, n_informants, segment_ids (pakai `.explode("segment_ids")` untuk digabung).
- `links.parquet`: satu baris per kaitan upaya -> hambatan: skor dan unsur-unsurnya, evidence.
"""


@dataclass
class WrittenFindings:
    """Where each output went and how long it took (for the run summary)."""

    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


INDICATOR_COLUMNS = [
    "indicator",
    "label",
    "n_segments",
    "n_informants",
    "n_sources",
    "positive",
    "negative",
    "mixed",
    "neutral",
    "score",
    "judgement",
    "judgement_level",
    "segment_ids",
]
THEME_COLUMNS = [
    "theme",
    "function",
    "label",
    "category",
    "category_share",
    "scope",
    "scope_share",
    "cohesion",
    "keyphrases",
    "n_segments",
    "n_informants",
    "n_sources",
    "segment_ids",
]


def indicators_frame(findings: Findings) -> pd.DataFrame:
    rows = []
    for item in findings.indicators:
        rows.append(
            {
                "indicator": item.id,
                "label": item.label,
                "n_segments": item.n_segments,
                "n_informants": item.n_informants,
                "n_sources": item.n_sources,
                "positive": item.balance.positive,
                "negative": item.balance.negative,
                "mixed": item.balance.mixed,
                "neutral": item.balance.neutral,
                "score": item.judgement.score,
                "judgement": item.judgement.label,
                "judgement_level": item.judgement.level,
                "segment_ids": list(item.segment_ids),
            }
        )
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


def themes_frame(findings: Findings) -> pd.DataFrame:
    rows = []
    for theme in findings.themes:
        rows.append(
            {
                "theme": theme.id,
                "function": theme.function,
                "label": theme.label,
                "category": theme.category.category if theme.category else None,
                "category_share": theme.category.share if theme.category else None,
                "scope": theme.scope,
                "scope_share": theme.scope_share,
                "cohesion": theme.cohesion,
                "keyphrases": [k.text for k in theme.keyphrases],
                "n_segments": theme.n_segments,
                "n_informants": theme.n_informants,
                "n_sources": theme.n_sources,
                "segment_ids": list(theme.segment_ids),
            }
        )
    return pd.DataFrame(rows, columns=THEME_COLUMNS)


def links_frame(findings: Findings) -> pd.DataFrame:
    columns = [
        "effort_theme",
        "obstacle_theme",
        "score",
        "similarity",
        "meaning",
        "cooccurrence",
        "baseline",
        "excess",
        "shared_sources",
        "taxonomy_match",
        "evidence",
    ]
    rows = [
        {
            **{c: getattr(link, c) for c in columns[:-1]},
            "evidence": [
                {
                    "source_id": ev.source_id,
                    "effort_segment": ev.effort_segment,
                    "obstacle_segment": ev.obstacle_segment,
                    "similarity": ev.similarity,
                }
                for ev in link.evidence
            ],
        }
        for link in findings.links
    ]
    return pd.DataFrame(rows, columns=columns)


def findings_tables(
    findings: Findings,
    segments: Sequence[Segment],
    codes: Sequence[Code],
    skip: Collection[str] = (),
) -> dict[str, pd.DataFrame]:
    """The tables as frames; ``skip`` names tables the caller writes itself (by streaming)."""
    builders: dict[str, Callable[[], pd.DataFrame]] = {
        "segments": lambda: segments_frame(segments),
        "codes": lambda: pd.DataFrame([code_row(c) for c in codes], columns=CODE_COLUMNS),
        "indicators": lambda: indicators_frame(findings),
        "themes": lambda: themes_frame(findings),
        "links": lambda: links_frame(findings),
    }
    return {name: build() for name, build in builders.items() if name not in skip}


def write_findings(
    out_dir: Path,
    findings: Findings,
    transcripts: Sequence[Transcript],
    segments: Sequence[Segment],
    codes: Sequence[Code],
    *,
    codebook: Codebook,
    report_options: ReportOptions | None = None,
    export_options: ExportOptions | None = None,
    table_format: str = "parquet",
    skip_tables: Collection[str] = (),
    pseudonymiser: Pseudonymiser | None = None,
    export: Callable[[IO[bytes]], None] | None = None,
) -> WrittenFindings:
    """Write findings.json, tables/, charts/, report.md, report.html, project.qdpx, codebook.qdc.

    ``export`` writes project.qdpx into an open file instead of building it from
    ``transcripts``, ``segments`` and ``codes`` in memory: a streaming caller passes empty
    sequences with it (and its pseudonymiser, and skips the segments and codes tables).
    """
    out_dir = Path(out_dir)
    report_options = (report_options or ReportOptions()).check()
    written = WrittenFindings(out_dir)

    def timed(name: str, action: Callable[[], None]) -> None:
        started = time.perf_counter()
        action()
        written.timings[name] = time.perf_counter() - started

    def json_file() -> None:
        data = findings_to_dict(findings)
        validate_findings(data)
        write_json(out_dir / "findings.json", data)
        written.files["findings"] = out_dir / "findings.json"

    def tables() -> None:
        for name, frame in findings_tables(findings, segments, codes, skip_tables).items():
            target = out_dir / "tables" / f"{name}.{table_format}"
            write_table(frame, target)
            written.files[f"table:{name}"] = target
        write_text(out_dir / "tables" / "README.md", TABLES_README)

    pseudonymiser = pseudonymiser or Pseudonymiser.from_transcripts(transcripts)

    def reports() -> None:
        chart_paths: dict[str, str] = {}
        for name, svg in (
            ("balance", evidence_balance(findings)),
            ("heatmap", role_heatmap(findings)),
            ("themes", theme_sizes(findings)),
        ):
            if svg:
                write_text(out_dir / "charts" / f"{name}.svg", svg)
                chart_paths[name] = f"charts/{name}.svg"
        markdown = render_markdown(findings, report_options, pseudonymiser, chart_paths)
        write_text(out_dir / "report.md", markdown)
        write_text(out_dir / "report.html", render_html(findings, report_options, pseudonymiser))
        written.files["report.md"] = out_dir / "report.md"
        written.files["report.html"] = out_dir / "report.html"

    def refiqda() -> None:
        if export is not None:
            with atomic_path(out_dir / "project.qdpx") as tmp, tmp.open("wb") as handle:
                export(handle)
        else:
            qdpx = build_qdpx(findings, transcripts, segments, codes, codebook, export_options)
            write_bytes(out_dir / "project.qdpx", qdpx)
        write_bytes(out_dir / "codebook.qdc", build_qdc(codebook, findings))
        written.files["qdpx"] = out_dir / "project.qdpx"
        written.files["qdc"] = out_dir / "codebook.qdc"

    timed("findings.json", json_file)
    timed("tables", tables)
    timed("reports", reports)
    timed("refi-qda", refiqda)
    log.info("wrote %d files to %s", len(written.files), out_dir)
    return written
