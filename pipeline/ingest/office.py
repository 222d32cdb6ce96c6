"""Word (.docx) and OpenDocument (.odt) files to plain text, one line per paragraph.

We read the XML ourselves instead of going through python-docx so that the zip is opened with
the bomb guard, entities are never resolved, and the text we produce (paragraphs joined by
newlines, tabs and breaks kept) is fully under our control; offsets depend on it.
"""

from __future__ import annotations

from lxml import etree

from pipeline.errors import Errors, IngestError
from pipeline.ingest.archive import open_archive, read_member

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def _parse(xml: bytes, path: str, kind: str) -> etree._Element:
    try:
        return etree.fromstring(xml, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise IngestError.make(
            Errors.E105, path=path, kind=kind, detail=f"broken XML: {exc}"
        ) from exc


def docx_text(data: bytes, path: str) -> str:
    archive = open_archive(data, path, "Word (.docx)")
    root = _parse(read_member(archive, "word/document.xml", path, "Word (.docx)"), path, ".docx")
    body = root.find(f"{_W}body")
    if body is None:
        raise IngestError.make(
            Errors.E105, path=path, kind="Word (.docx)", detail="no document body"
        )
    lines = []
    for para in body.iter(f"{_W}p"):
        parts = []
        for node in para.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
            if node.tag == f"{_W}t":
                parts.append(node.text or "")
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            else:
                parts.append("\n")
        lines.append("".join(parts))
    return "\n".join(lines)


def _odt_inline(node: etree._Element, out: list[str]) -> None:
    if node.text:
        out.append(node.text)
    for child in node:
        tag = child.tag
        if tag == f"{_T}s":
            out.append(" " * int(child.get(f"{_T}c", "1")))
        elif tag == f"{_T}tab":
            out.append("\t")
        elif tag == f"{_T}line-break":
            out.append("\n")
        elif tag in (f"{_T}note", f"{_T}bookmark", f"{_T}bookmark-start"):
            pass
        else:
            _odt_inline(child, out)
        if child.tail:
            out.append(child.tail)


def odt_text(data: bytes, path: str) -> str:
    archive = open_archive(data, path, "OpenDocument (.odt)")
    root = _parse(read_member(archive, "content.xml", path, "OpenDocument (.odt)"), path, ".odt")
    lines = []
    for node in root.iter(f"{_T}p", f"{_T}h"):
        out: list[str] = []
        _odt_inline(node, out)
        lines.append("".join(out))
    return "\n".join(lines)
