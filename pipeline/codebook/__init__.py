"""Codebooks: a theory's indicators, the concepts that feed them, and their file format.

Pure: every function takes text and returns objects; reading files is ``models.codebooks``'s job.
"""

from pipeline.codebook.model import Codebook, Indicator
from pipeline.codebook.parse import check_codebook, codebook_schema, parse_codebook, parse_concepts
from pipeline.codebook.problems import CodebookProblem

__all__ = [
    "Codebook",
    "CodebookProblem",
    "Indicator",
    "check_codebook",
    "codebook_schema",
    "parse_codebook",
    "parse_concepts",
]
