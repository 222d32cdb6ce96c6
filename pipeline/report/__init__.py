"""Reports: the findings as a Markdown and a self-contained HTML findings chapter."""

from pipeline.report.charts import evidence_balance, role_heatmap, theme_sizes
from pipeline.report.html import render_html
from pipeline.report.markdown import render_markdown
from pipeline.report.people import SPEAKER_MODES, People, ReportOptions

__all__ = [
    "SPEAKER_MODES",
    "People",
    "ReportOptions",
    "evidence_balance",
    "render_html",
    "render_markdown",
    "role_heatmap",
    "theme_sizes",
]
