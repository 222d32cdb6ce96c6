"""Charts as SVG text: indicator x informant role heatmap, evidence balance, theme sizes.

SVG rather than PNG so the HTML report stays one small, sharp, searchable file and the
Markdown report can link the same files. Figures are built on matplotlib's object API (no
pyplot global state, safe in flows and threads) with fixed hash salt and no date metadata, so
the same findings always produce byte-identical charts.
"""

from __future__ import annotations

import io
import re

import matplotlib
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from pipeline.findings.indonesian import ROLE_ORDER, role_label
from pipeline.findings.model import Findings

ASSESSMENT_COLOURS = {
    "positive": "#2E8B57",
    "mixed": "#E6A23C",
    "negative": "#C0392B",
    "neutral": "#B0B7BF",
}
FAVOUR = LinearSegmentedColormap.from_list("favour", ["#C0392B", "#F4D03F", "#2E8B57"])

_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "telaah",
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    FigureCanvasSVG(figure)
    with matplotlib.rc_context(_RC):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    # inline use: drop the XML declaration and DOCTYPE, keep the <svg> element
    return text[text.index("<svg") :].strip() + "\n"


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _wrap(label: str, width: int = 22) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def role_heatmap(findings: Findings) -> str:
    """Rows: indicators; columns: informant roles. Colour = favourable score; text = n."""
    # roles that gave evidence on some indicator; an all-empty column would only add noise
    roles = [
        r
        for r in ROLE_ORDER
        if any(c.role_category == r for i in findings.indicators for c in i.by_role)
    ]
    indicators = findings.indicators
    with matplotlib.rc_context(_RC):
        figure = _figure(1.6 + 1.25 * max(len(roles), 1), 0.8 + 0.55 * max(len(indicators), 1))
        axes = figure.add_subplot()
        scores = np.full((len(indicators), len(roles)), np.nan)
        for i, item in enumerate(indicators):
            for cell in item.by_role:
                if cell.role_category in roles and cell.score is not None:
                    scores[i, roles.index(cell.role_category)] = cell.score
        axes.set_facecolor("#EEF0F2")
        image = axes.pcolormesh(
            np.ma.masked_invalid(scores),
            cmap=FAVOUR,
            vmin=0,
            vmax=1,
            edgecolors="white",
            linewidth=2,
        )
        for i, item in enumerate(indicators):
            counts = {c.role_category: c.n_segments for c in item.by_role}
            for j, role in enumerate(roles):
                n = counts.get(role, 0)
                value = scores[i, j]
                # white on the saturated ends of the scale, dark ink on the pale middle
                ink = "white" if not np.isnan(value) and abs(value - 0.5) > 0.25 else "#1B2631"
                axes.text(
                    j + 0.5,
                    i + 0.5,
                    f"n={n}" if n else "–",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color=ink,
                )
        axes.set_xticks(np.arange(len(roles)) + 0.5, [_wrap(role_label(r), 12) for r in roles])
        axes.set_yticks(np.arange(len(indicators)) + 0.5, [_wrap(i.label) for i in indicators])
        axes.invert_yaxis()
        axes.xaxis.tick_top()
        axes.tick_params(length=0)
        for side in ("left", "bottom"):
            axes.spines[side].set_visible(False)
        bar = figure.colorbar(image, ax=axes, shrink=0.8)
        bar.set_label("skor bukti", labelpad=6)
        return _svg(figure)


def evidence_balance(findings: Findings) -> str:
    """One horizontal stacked bar per indicator: positive, mixed, negative, neutral counts."""
    indicators = list(reversed(findings.indicators))
    order = ("positive", "mixed", "negative", "neutral")
    names = {"positive": "positif", "mixed": "campuran", "negative": "negatif", "neutral": "netral"}
    with matplotlib.rc_context(_RC):
        figure = _figure(7.2, 0.9 + 0.5 * max(len(indicators), 1))
        axes = figure.add_subplot()
        left = np.zeros(len(indicators))
        for kind in order:
            values = np.array([getattr(i.balance, kind) for i in indicators], dtype=float)
            axes.barh(
                range(len(indicators)),
                values,
                left=left,
                color=ASSESSMENT_COLOURS[kind],
                label=names[kind],
                height=0.6,
            )
            for y, (x0, v) in enumerate(zip(left, values, strict=True)):
                if v >= 1:
                    axes.text(
                        x0 + v / 2,
                        y,
                        f"{int(v)}",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if kind != "neutral" else "#1B2631",
                    )
            left += values
        for y, item in enumerate(indicators):
            axes.text(
                left[y] + 0.2, y, item.judgement.label, va="center", fontsize=8.5, color="#34495E"
            )
        axes.set_yticks(range(len(indicators)), [_wrap(i.label, 28) for i in indicators])
        axes.set_xlim(0, max(float(left.max()) if len(left) else 1.0, 1.0) * 1.35)
        axes.set_xlabel("jumlah segmen")
        axes.tick_params(axis="y", length=0)
        axes.legend(
            ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8.5
        )
        return _svg(figure)


def theme_sizes(findings: Findings) -> str | None:
    """Themes by number of informants, grouped by function; ``None`` when there are none."""
    themes = [
        t for f in ("obstacle", "effort", "supporting_factor") for t in findings.themes_for(f)
    ]
    if not themes:
        return None
    colours = {"obstacle": "#C0392B", "effort": "#1E8449", "supporting_factor": "#2874A6"}
    themes = list(reversed(themes))
    with matplotlib.rc_context(_RC):
        figure = _figure(7.2, 0.8 + 0.38 * len(themes))
        axes = figure.add_subplot()
        axes.barh(
            range(len(themes)),
            [t.n_informants for t in themes],
            color=[colours[t.function] for t in themes],
            height=0.6,
        )
        labels = [f"{t.id} {t.label}" for t in themes]
        axes.set_yticks(
            range(len(themes)), [lbl if len(lbl) < 60 else lbl[:57] + "…" for lbl in labels]
        )
        axes.set_xlabel("jumlah informan")
        axes.tick_params(axis="y", length=0)
        axes.xaxis.get_major_locator().set_params(integer=True)
        names = {"obstacle": "hambatan", "effort": "upaya", "supporting_factor": "pendukung"}
        present = [f for f in names if any(t.function == f for t in themes)]
        handles = [Patch(color=colours[f], label=names[f]) for f in present]
        axes.legend(
            handles=handles,
            ncols=len(handles),
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            frameon=False,
            fontsize=8.5,
        )
        return _svg(figure)


def strip_ids(svg: str, prefix: str) -> str:
    """Prefix element ids so several inline SVGs on one page cannot clash."""
    return re.sub(
        r'(id="|url\(#|href="#)([^")]+)', lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg
    )
