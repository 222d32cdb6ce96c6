"""The few lines ``telaah code`` prints at the end: what was found, at a glance.

A researcher running a batch wants to know immediately whether the run produced something
plausible (how many indicators could be judged, how many themes) before opening the report.
"""

from __future__ import annotations

from pipeline.findings.indonesian import FUNCTION_LABELS
from pipeline.findings.model import Findings


def findings_summary(findings: Findings) -> list[str]:
    corpus = findings.corpus
    lines = [
        f"{corpus.n_sources} transkrip, {corpus.n_informants} informan, "
        f"{corpus.n_segments} segmen; kodebuku {findings.codebook.id}.",
    ]
    for indicator in findings.indicators:
        lines.append(
            f"  {indicator.label}: {indicator.judgement.label} "
            f"({indicator.n_segments} segmen, {indicator.n_informants} informan)"
        )
    for function in ("obstacle", "effort", "supporting_factor"):
        themes = findings.themes_for(function)
        if themes:
            lines.append(f"{FUNCTION_LABELS[function]}: {len(themes)} tema")
    if findings.links:
        lines.append(f"Kaitan upaya–hambatan: {len(findings.links)}")
    return lines
