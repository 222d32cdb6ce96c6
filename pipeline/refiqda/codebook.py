"""The ``.qdc`` file: Telaah's code system in the REFI-QDA codebook exchange format.

A researcher who codes by hand in ATLAS.ti, MAXQDA, NVivo or QualCoder can start from the
same codebook Telaah used, so machine and human coding can be compared code by code.
"""

from __future__ import annotations

from lxml import etree

from pipeline.codebook.model import Codebook
from pipeline.findings.model import GENERATOR, Findings
from pipeline.refiqda.codetree import CodeNode, code_tree

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = GENERATOR


def code_element(parent: etree._Element, node: CodeNode, ns: str) -> etree._Element:
    """``<Code>`` with its description and children, in the element order both XSDs require."""
    element = etree.SubElement(parent, f"{{{ns}}}Code")
    element.set("guid", node.guid)
    element.set("name", node.name)
    element.set("isCodable", "true" if node.codable else "false")
    if node.colour:
        element.set("color", node.colour)
    if node.description:
        etree.SubElement(element, f"{{{ns}}}Description").text = node.description
    for child in node.children:
        code_element(element, child, ns)
    return element


def build_qdc(codebook: Codebook, findings: Findings | None = None) -> bytes:
    """UTF-8 XML bytes of the ``.qdc`` codebook (themes included when ``findings`` is given)."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", ORIGIN)
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    for node in code_tree(codebook, findings):
        code_element(codes, node, CODEBOOK_NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
