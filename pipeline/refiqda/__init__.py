"""REFI-QDA export: the ``.qdpx`` project and ``.qdc`` codebook that QDA tools open."""

from pipeline.refiqda.codebook import CODEBOOK_NS, build_qdc
from pipeline.refiqda.codetree import CodeNode, code_tree, guid
from pipeline.refiqda.project import (
    MACHINE_USER,
    MACHINE_USER_NAME,
    PROJECT_NS,
    ExportOptions,
    build_qdpx,
    project_xml,
    write_project,
    write_qdpx,
)
from pipeline.refiqda.sources import SourceBundle, bundles

__all__ = [
    "CODEBOOK_NS",
    "MACHINE_USER",
    "MACHINE_USER_NAME",
    "PROJECT_NS",
    "CodeNode",
    "ExportOptions",
    "SourceBundle",
    "build_qdc",
    "build_qdpx",
    "bundles",
    "code_tree",
    "guid",
    "project_xml",
    "write_project",
    "write_qdpx",
]
