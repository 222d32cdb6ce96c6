"""The findings as a Markdown report shaped like a thesis findings chapter.

Markdown because researchers paste it into Word or Google Docs and edit it into their chapter;
every claim keeps its evidence (counts, quotes with role and location) so the edited text can
still be traced back to the transcripts.
"""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.findings.indonesian import ASSESSMENT_LABELS, FUNCTION_LABELS, decimal
from pipeline.findings.model import Findings, Quote, Theme
from pipeline.findings.pseudonymise import Pseudonymiser
from pipeline.report import narrative
from pipeline.report.people import People, ReportOptions

SECTIONS = (
    ("obstacle", "B", "Hambatan"),
    ("effort", "C", "Upaya Mengatasi Hambatan"),
    ("supporting_factor", "D", "Faktor Pendukung"),
)


def _quote(people: People, quote: Quote, show_stance: bool = True) -> list[str]:
    """``show_stance`` only for indicator evidence: an obstacle quote has no stance to show."""
    shown = show_stance and quote.assessment
    stance = f" — bukti {ASSESSMENT_LABELS[quote.assessment]}" if shown else ""
    return [
        f"> “{people.quote_text(quote)}”",
        ">",
        f"> — *{people.speaker(quote.informant)}*, {people.location(quote)}{stance}",
        "",
    ]


def _summary_table(findings: Findings) -> list[str]:
    lines = [
        "| Indikator | Segmen | Informan | Positif | Negatif | Campuran | Skor | Penilaian |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for item in findings.indicators:
        b, j = item.balance, item.judgement
        score = decimal(j.score) if j.score is not None else "–"
        lines.append(
            f"| {item.label} | {item.n_segments} | {item.n_informants} | {b.positive} | "
            f"{b.negative} | {b.mixed} | {score} | **{j.label}** |"
        )
    return [*lines, ""]


def _theme_block(findings: Findings, theme: Theme, people: People) -> list[str]:
    # obstacle themes sit under "B.1 Hambatan internal" etc., one level deeper
    level = "####" if theme.function == "obstacle" else "###"
    about = people.text(" ".join(narrative.theme_sentences(theme)))
    lines = [f"{level} {theme.id}. {people.text(theme.label)}", "", about, ""]
    for link in findings.links_from(theme.id):
        lines.append(f"- {narrative.link_sentence(link, findings)}")
        for ev in link.evidence[:2]:
            lines.append(
                f"  - bukti: {narrative.source_name(findings, ev.source_id)}, segmen "
                f"`{ev.effort_segment}` ↔ `{ev.obstacle_segment}`"
            )
    if findings.links_from(theme.id):
        lines.append("")
    for quote in theme.quotes:
        lines.extend(_quote(people, quote, show_stance=False))
    return lines


def _themes(
    findings: Findings, function: str, letter: str, title: str, people: People
) -> list[str]:
    themes = findings.themes_for(function)
    lines = [f"## {letter}. {title}", ""]
    if not themes:
        label = FUNCTION_LABELS[function].lower()
        return [*lines, f"Tidak ada segmen {label} yang teridentifikasi.", ""]
    if function == "obstacle":
        groups = [
            ("Hambatan internal", [t for t in themes if t.scope == "internal"]),
            ("Hambatan eksternal", [t for t in themes if t.scope == "external"]),
            ("Hambatan lainnya (lingkup tidak tegas)", [t for t in themes if t.scope is None]),
        ]
        for number, (heading, group) in enumerate([g for g in groups if g[1]], start=1):
            lines += [f"### {letter}.{number} {heading}", ""]
            for theme in group:
                lines += _theme_block(findings, theme, people)
        return lines
    for theme in themes:
        lines += _theme_block(findings, theme, people)
    return lines


def render_markdown(
    findings: Findings,
    options: ReportOptions | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    charts: Mapping[str, str] | None = None,
) -> str:
    """The report; ``charts`` maps chart names (heatmap, balance, themes) to relative paths."""
    options = options or ReportOptions()
    people = People(findings, options, pseudonymiser)
    charts = charts or {}
    title = options.title or f"Temuan Penelitian: {findings.codebook.name}"
    lines = [f"# {title}", "", narrative.corpus_sentence(findings), ""]
    lines += ["## Ringkasan", "", *_summary_table(findings)]
    for key, caption in (
        ("balance", "Sebaran bukti per indikator"),
        ("heatmap", "Indikator menurut peran informan"),
    ):
        if key in charts:
            lines += [f"![{caption}]({charts[key]})", ""]
    lines += [f"## A. Kinerja menurut Indikator {findings.codebook.theory}", ""]
    for number, item in enumerate(findings.indicators, start=1):
        lines += [f"### A.{number} {item.label}: {item.judgement.label}", ""]
        if item.definition:
            lines += [f"*{' '.join(item.definition.split())}*", ""]
        lines += [" ".join(narrative.indicator_sentences(item)), ""]
        for quote in item.quotes:
            lines.extend(_quote(people, quote))
    for function, letter, heading in SECTIONS:
        lines += _themes(findings, function, letter, heading, people)
    if "themes" in charts:
        lines += [f"![Tema menurut jumlah informan]({charts['themes']})", ""]
    lines += ["## E. Kesimpulan Sementara", ""]
    lines += [f"- {s}" for s in narrative.conclusion_sentences(findings)] + [""]
    lines += _method(findings)
    return "\n".join(lines).rstrip() + "\n"


def _method(findings: Findings) -> list[str]:
    method = findings.method
    return [
        "## Catatan Metode",
        "",
        "Temuan ini adalah saran mesin yang perlu diperiksa peneliti sebelum dipakai.",
        "",
        f"- **Penilaian indikator.** {method.judgement_rule}",
        f"- **Tema.** {method.themes}",
        f"- **Taksonomi.** {method.taxonomy}",
        f"- **Kaitan upaya–hambatan.** {method.links}",
        f"- **Kutipan.** {method.quotes}",
        f"- **Model.** {', '.join(method.model_versions) or '–'}; {findings.generator}; "
        f"format temuan versi {findings.version}.",
        "",
        "Data lengkap ada di `findings.json` dan `tables/*.parquet`; misalnya "
        "`pd.read_parquet('tables/codes.parquet')` memuat kode setiap segmen.",
    ]
