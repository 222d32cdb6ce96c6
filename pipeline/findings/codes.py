"""The classifier's JSON rows to :class:`~pipeline.records.Code` records and to table rows.

``telaah classify`` speaks JSON (one object per segment, see models/classify/coder.py); the
findings stage works on typed records. The conversion lives here, in one place, so a change
of the classify contract breaks one function and its test rather than every consumer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, cast

from pipeline.records import Assessment, Code, Function, IndicatorScore, Scope

FUNCTIONS: tuple[str, ...] = ("indicator", "obstacle", "effort", "supporting_factor", "other")


def _missing(value: Any) -> bool:
    """None, float NaN or pandas' NA: what a missing value becomes after a table round trip."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ == "NAType"


def _opt(value: Any) -> Any:
    return None if _missing(value) else value


def code_from_row(row: Mapping[str, Any], codebook_id: str) -> Code:
    """One classify output object to a :class:`Code`; unknown keys are kept in ``extra``.

    Also accepts rows read back from a table, where a missing value may be NaN.
    """
    known = {
        "id",
        "indicator",
        "indicator_score",
        "indicators",
        "function",
        "function_scores",
        "scope",
        "assessment",
        "model_version",
    }
    scores = row.get("function_scores") or {}
    return Code(
        segment_id=str(row["id"]),
        codebook=codebook_id,
        indicator=_opt(row.get("indicator")),
        indicator_score=float(_opt(row.get("indicator_score")) or 0.0),
        indicators=tuple(
            IndicatorScore(str(i["id"]), float(i["score"])) for i in row.get("indicators") or ()
        ),
        function=cast(Function, row["function"]),
        function_scores=tuple(
            (f, float(scores[f])) for f in FUNCTIONS if f in scores and not _missing(scores[f])
        ),
        scope=cast(Scope | None, _opt(row.get("scope"))),
        assessment=cast(Assessment | None, _opt(row.get("assessment"))),
        model_version=str(row.get("model_version") or "unknown"),
        extra={k: v for k, v in row.items() if k not in known},
    )


def codes_from_rows(rows: Iterable[Mapping[str, Any]], codebook_id: str) -> list[Code]:
    return [code_from_row(row, codebook_id) for row in rows]


def function_score(code: Code, function: str | None = None) -> float:
    """The probability of ``function`` (default: the chosen one); 1.0 if scores are absent."""
    wanted = function or code.function
    for name, score in code.function_scores:
        if name == wanted:
            return score
    return 1.0 if wanted == code.function else 0.0


CODE_COLUMNS: tuple[str, ...] = (
    "segment_id",
    "codebook",
    "indicator",
    "indicator_score",
    "function",
    "function_score",
    "scope",
    "assessment",
    "model_version",
    *(f"p_{f}" for f in FUNCTIONS),
    "indicators",
)


def code_row(code: Code) -> dict[str, Any]:
    """A flat table row: one column per function score, the indicator ranking as a list."""
    row: dict[str, Any] = {
        "segment_id": code.segment_id,
        "codebook": code.codebook,
        "indicator": code.indicator,
        "indicator_score": code.indicator_score,
        "function": code.function,
        "function_score": function_score(code),
        "scope": code.scope,
        "assessment": code.assessment,
        "model_version": code.model_version,
    }
    for function in FUNCTIONS:
        row[f"p_{function}"] = function_score(code, function) if code.function_scores else None
    row["indicators"] = [{"id": s.id, "score": s.score} for s in code.indicators]
    return row
