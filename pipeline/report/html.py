"""The findings as one self-contained HTML page (inline CSS and SVG, no script, no network).

One file a researcher can email to a supervisor or open offline in a village office; it must
render the same everywhere, print cleanly, and never fetch anything (informants' words stay on
the machine). Every text from the findings is escaped.
"""

from __future__ import annotations

from html import escape
from importlib import resources

from pipeline.findings.indonesian import ASSESSMENT_LABELS, FUNCTION_LABELS, SCOPE_LABELS, decimal
from pipeline.findings.model import Findings, IndicatorFinding, Quote, Theme
from pipeline.findings.pseudonymise import Pseudonymiser
from pipeline.report import charts, narrative
from pipeline.report.markdown import SECTIONS
from pipeline.report.people import People, ReportOptions


def _css() -> str:
    return resources.files("pipeline.report").joinpath("report.css").read_text("utf-8")


def _p(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def _badge(label: str, level: int) -> str:
    return f'<span class="badge level-{level}">{escape(label)}</span>'


def _quote(people: People, quote: Quote, show_stance: bool = True) -> str:
    """``show_stance`` only for indicator evidence: an obstacle quote has no stance to show."""
    stance = quote.assessment if show_stance and quote.assessment else "neutral"
    tag = (
        f'<span class="stance {stance}">{escape(ASSESSMENT_LABELS[stance])}</span>'
        if show_stance and quote.assessment
        else ""
    )
    return (
        f'<blockquote class="{stance}"><p>“{escape(people.quote_text(quote))}”</p>'
        f"<footer>— <strong>{escape(people.speaker(quote.informant))}</strong>, "
        f'<span class="loc">{escape(people.location(quote))}</span> {tag}</footer></blockquote>'
    )


def _summary(findings: Findings) -> str:
    rows = []
    for item in findings.indicators:
        b, j = item.balance, item.judgement
        score = decimal(j.score) if j.score is not None else "–"
        rows.append(
            f'<tr><td><a href="#ind-{escape(item.id)}">{escape(item.label)}</a></td>'
            f"<td>{item.n_segments}</td><td>{item.n_informants}</td><td>{b.positive}</td>"
            f"<td>{b.negative}</td><td>{b.mixed}</td><td>{score}</td>"
            f"<td>{_badge(j.label, j.level)}</td></tr>"
        )
    return (
        '<table class="summary"><thead><tr><th>Indikator</th><th>Segmen</th><th>Informan</th>'
        "<th>Positif</th><th>Negatif</th><th>Campuran</th><th>Skor</th><th>Penilaian</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _indicator(number: int, item: IndicatorFinding, people: People) -> str:
    parts = [
        f'<section class="indicator" id="ind-{escape(item.id)}">',
        f"<h3>A.{number} {escape(item.label)} {_badge(item.judgement.label, item.judgement.level)}</h3>",
    ]
    if item.definition:
        parts.append(f'<p class="definition">{escape(" ".join(item.definition.split()))}</p>')
    parts += [_p(s) for s in narrative.indicator_sentences(item)]
    parts += [_quote(people, q) for q in item.quotes]
    parts.append("</section>")
    return "\n".join(parts)


def _theme(findings: Findings, theme: Theme, people: People) -> str:
    scope = f'<span class="scope">{escape(SCOPE_LABELS[theme.scope])}</span>' if theme.scope else ""
    parts = [
        f'<article class="theme {theme.function}" id="theme-{escape(theme.id)}">',
        f'<h4><span class="tid">{escape(theme.id)}</span> {escape(people.text(theme.label))} '
        f"{scope}</h4>",
        *(_p(people.text(s)) for s in narrative.theme_sentences(theme)),
    ]
    links = findings.links_from(theme.id)
    if links:
        items = []
        for link in links:
            evidence = "; ".join(
                escape(narrative.source_name(findings, ev.source_id)) for ev in link.evidence
            )
            items.append(
                f"<li>{escape(narrative.link_sentence(link, findings))} "
                f'<a href="#theme-{escape(link.obstacle_theme)}">→ {escape(link.obstacle_theme)}</a>'
                + (f'<br><span class="loc">Bukti: {evidence}</span>' if evidence else "")
                + "</li>"
            )
        parts.append(f'<ul class="links">{"".join(items)}</ul>')
    parts += [_quote(people, q, show_stance=False) for q in theme.quotes]
    parts.append("</article>")
    return "\n".join(parts)


def _themes(findings: Findings, function: str, letter: str, title: str, people: People) -> str:
    themes = findings.themes_for(function)
    parts = [f'<section id="sec-{letter}"><h2>{letter}. {escape(title)}</h2>']
    if not themes:
        label = FUNCTION_LABELS[function].lower()
        parts.append(_p(f"Tidak ada segmen {label} yang teridentifikasi."))
    elif function == "obstacle":
        groups = [
            ("Hambatan internal", [t for t in themes if t.scope == "internal"]),
            ("Hambatan eksternal", [t for t in themes if t.scope == "external"]),
            ("Hambatan lainnya (lingkup tidak tegas)", [t for t in themes if t.scope is None]),
        ]
        for number, (heading, group) in enumerate([g for g in groups if g[1]], start=1):
            parts.append(f"<h3>{letter}.{number} {escape(heading)}</h3>")
            parts += [_theme(findings, t, people) for t in group]
    else:
        parts += [_theme(findings, t, people) for t in themes]
    parts.append("</section>")
    return "\n".join(parts)


def _figure(svg: str | None, prefix: str, caption: str) -> str:
    if not svg:
        return ""
    return (
        f'<figure class="chart">{charts.strip_ids(svg, prefix)}'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def _method(findings: Findings) -> str:
    m = findings.method
    items = [
        ("Penilaian indikator", m.judgement_rule),
        ("Tema", m.themes),
        ("Taksonomi", m.taxonomy),
        ("Kaitan upaya–hambatan", m.links),
        ("Kutipan", m.quotes),
        (
            "Model",
            f"{', '.join(m.model_versions) or '–'}; {findings.generator}; format temuan versi "
            f"{findings.version}.",
        ),
    ]
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items)
    return (
        '<section id="sec-method" class="method"><h2>Catatan Metode</h2>'
        "<p><strong>Temuan ini adalah saran mesin yang perlu diperiksa peneliti sebelum "
        f"dipakai.</strong></p><dl>{rows}</dl>"
        "<p>Data lengkap: <code>findings.json</code> dan <code>tables/*.parquet</code>, "
        "misalnya <code>pd.read_parquet('tables/codes.parquet')</code>.</p></section>"
    )


def render_html(
    findings: Findings,
    options: ReportOptions | None = None,
    pseudonymiser: Pseudonymiser | None = None,
) -> str:
    options = options or ReportOptions()
    people = People(findings, options, pseudonymiser)
    title = options.title or f"Temuan Penelitian: {findings.codebook.name}"
    nav = "".join(
        f'<a href="#{anchor}">{escape(label)}</a>'
        for anchor, label in (
            ("sec-summary", "Ringkasan"),
            ("sec-A", "A. Indikator"),
            ("sec-B", "B. Hambatan"),
            ("sec-C", "C. Upaya"),
            ("sec-D", "D. Pendukung"),
            ("sec-E", "E. Kesimpulan"),
            ("sec-method", "Metode"),
        )
    )
    body = [
        f"<header><h1>{escape(title)}</h1>{_p(narrative.corpus_sentence(findings))}"
        f"<nav>{nav}</nav></header>",
        f'<section id="sec-summary"><h2>Ringkasan</h2>{_summary(findings)}',
        '<div class="charts">',
        _figure(charts.evidence_balance(findings), "bal", "Sebaran bukti per indikator"),
        _figure(
            charts.role_heatmap(findings),
            "heat",
            "Skor bukti per indikator menurut peran informan (0 = semua negatif, 1 = semua "
            "positif; n = jumlah segmen; abu-abu: tidak ada bukti)",
        ),
        "</div></section>",
        f'<section id="sec-A"><h2>A. Kinerja menurut Indikator {escape(findings.codebook.theory)}</h2>',
        *(_indicator(n, item, people) for n, item in enumerate(findings.indicators, start=1)),
        "</section>",
        *(_themes(findings, f, letter, heading, people) for f, letter, heading in SECTIONS),
        _figure(charts.theme_sizes(findings), "themes", "Tema menurut jumlah informan"),
        '<section id="sec-E"><h2>E. Kesimpulan Sementara</h2><ul>'
        + "".join(f"<li>{escape(s)}</li>" for s in narrative.conclusion_sentences(findings))
        + "</ul></section>",
        _method(findings),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{_css()}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(part for part in body if part)
        + "\n</main>\n</body>\n</html>\n"
    )
