"""Findings: coded segments to what a findings chapter states, with the evidence for each."""

from pipeline.findings.build import FindingsOptions
from pipeline.findings.codes import code_from_row, code_row, codes_from_rows
from pipeline.findings.judgement import JudgementPolicy, ThresholdRule
from pipeline.findings.model import FINDINGS_VERSION, Findings
from pipeline.findings.pseudonymise import Pseudonymiser
from pipeline.findings.serialise import (
    findings_from_dict,
    findings_schema,
    findings_to_dict,
    validate_findings,
)
from pipeline.findings.stream import build_findings
from pipeline.findings.summary import findings_summary

__all__ = [
    "FINDINGS_VERSION",
    "Findings",
    "FindingsOptions",
    "JudgementPolicy",
    "Pseudonymiser",
    "ThresholdRule",
    "build_findings",
    "code_from_row",
    "code_row",
    "codes_from_rows",
    "findings_from_dict",
    "findings_schema",
    "findings_summary",
    "findings_to_dict",
    "validate_findings",
]
