from __future__ import annotations

from pipeline.findings.codes import CODE_COLUMNS, code_from_row, code_row, function_score

ROW = {
    "id": "abc:10-50",
    "indicator": "kualitas_kerja",
    "indicator_score": 0.82,
    "indicators": [{"id": "kualitas_kerja", "score": 0.82}, {"id": "inisiatif", "score": 0.1}],
    "function": "obstacle",
    "function_scores": {
        "indicator": 0.2,
        "obstacle": 0.7,
        "effort": 0.05,
        "supporting_factor": 0.03,
        "other": 0.02,
    },
    "scope": "internal",
    "assessment": "negative",
    "assessment_scores": {"negative": 0.9},
    "model_version": "mitchell-3",
}


def test_the_classify_contract_becomes_a_code_record():
    code = code_from_row(ROW, "mitchell")
    assert code.segment_id == "abc:10-50" and code.codebook == "mitchell"
    assert code.indicators[0].id == "kualitas_kerja" and code.indicators[1].score == 0.1
    assert dict(code.function_scores)["obstacle"] == 0.7
    assert function_score(code) == 0.7 and function_score(code, "effort") == 0.05
    assert code.extra == {"assessment_scores": {"negative": 0.9}}


def test_a_table_row_is_flat_with_stable_columns():
    row = code_row(code_from_row(ROW, "mitchell"))
    assert tuple(row) == CODE_COLUMNS
    assert row["p_obstacle"] == 0.7 and row["function_score"] == 0.7
    assert row["indicators"][0] == {"id": "kualitas_kerja", "score": 0.82}


def test_missing_scores_default_sensibly():
    code = code_from_row({"id": "x", "function": "other"}, "kasmir")
    assert code.indicator is None and code.indicators == () and code.model_version == "unknown"
    assert function_score(code) == 1.0
    assert code_row(code)["p_other"] is None


def test_rows_read_back_from_a_table_may_carry_nan_for_missing():
    row = dict(ROW, indicator=float("nan"), scope=None, assessment=float("nan"))
    code = code_from_row(row, "mitchell")
    assert code.indicator is None and code.scope is None and code.assessment is None
