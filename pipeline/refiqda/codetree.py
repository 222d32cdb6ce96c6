"""The code system Telaah exports: indicators, functions, assessments and themes as codes.

Both the ``.qdc`` codebook and the ``.qdpx`` project carry the same tree with the same GUIDs,
so a researcher can import the codebook first and the project later (or into a colleague's
tool) and the codes line up. GUIDs are UUID-5 of stable keys: re-exporting the same study
yields the same GUIDs, which keeps a QDA tool's merge from duplicating codes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.codebook.model import Codebook
from pipeline.findings.indonesian import ASSESSMENT_LABELS, FUNCTION_LABELS, decimal
from pipeline.findings.model import Findings, Theme

NAMESPACE = uuid.UUID("5b0f8a52-3c1e-5d7a-9a51-7e1a0c0d7e11")

FUNCTION_COLOURS = {"obstacle": "#C0392B", "effort": "#1E8449", "supporting_factor": "#2874A6"}
ASSESSMENT_COLOURS = {"positive": "#27AE60", "negative": "#E74C3C", "mixed": "#F39C12"}
INDICATOR_COLOURS = ("#6C3483", "#1F618D", "#117A65", "#B9770E", "#A04000", "#5D6D7E", "#943126")


def guid(kind: str, key: str) -> str:
    """Deterministic GUID for an exported object (``kind`` keeps namespaces apart)."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


@dataclass(frozen=True)
class CodeNode:
    key: str
    name: str
    codable: bool
    description: str | None = None
    colour: str | None = None
    children: tuple[CodeNode, ...] = ()

    @property
    def guid(self) -> str:
        return guid("code", self.key)

    def walk(self) -> Iterator[CodeNode]:
        yield self
        for child in self.children:
            yield from child.walk()


def indicator_key(codebook_id: str, indicator_id: str) -> str:
    return f"indicator:{codebook_id}:{indicator_id}"


def function_key(function: str, scope: str | None = None) -> str:
    return f"function:{function}" + (f":{scope}" if scope else "")


def assessment_key(assessment: str) -> str:
    return f"assessment:{assessment}"


def theme_key(codebook_id: str, theme_id: str) -> str:
    return f"theme:{codebook_id}:{theme_id}"


def _theme_description(theme: Theme) -> str:
    parts = [f"{theme.n_segments} segmen dari {theme.n_informants} informan."]
    if theme.keyphrases:
        parts.append("Frasa kunci: " + ", ".join(k.text for k in theme.keyphrases) + ".")
    if theme.category:
        parts.append(
            f"Kategori: {theme.category.label} ({decimal(theme.category.share * 100, 0)}% "
            f"segmen memuat: {', '.join(theme.category.keywords)})."
        )
    if theme.scope:
        parts.append(f"Lingkup: {theme.scope}.")
    return " ".join(parts)


def code_tree(codebook: Codebook, findings: Findings | None = None) -> tuple[CodeNode, ...]:
    """Top-level folders; themes are included when ``findings`` is given."""
    indicators = tuple(
        CodeNode(
            indicator_key(codebook.id, ind.id),
            ind.label,
            True,
            ind.definition,
            INDICATOR_COLOURS[n % len(INDICATOR_COLOURS)],
            tuple(
                CodeNode(f"{indicator_key(codebook.id, ind.id)}:sub:{k}", sub, True)
                for k, sub in enumerate(ind.sub_indicators)
            ),
        )
        for n, ind in enumerate(codebook.indicators)
    )
    obstacle = CodeNode(
        function_key("obstacle"),
        FUNCTION_LABELS["obstacle"],
        True,
        "Hambatan atau kendala dalam pelaksanaan program atau layanan.",
        FUNCTION_COLOURS["obstacle"],
        (
            CodeNode(function_key("obstacle", "internal"), "Hambatan internal", True),
            CodeNode(function_key("obstacle", "external"), "Hambatan eksternal", True),
        ),
    )
    functions = (
        obstacle,
        CodeNode(
            function_key("effort"),
            FUNCTION_LABELS["effort"],
            True,
            "Upaya mengatasi hambatan.",
            FUNCTION_COLOURS["effort"],
        ),
        CodeNode(
            function_key("supporting_factor"),
            FUNCTION_LABELS["supporting_factor"],
            True,
            "Faktor yang mendukung pelaksanaan.",
            FUNCTION_COLOURS["supporting_factor"],
        ),
    )
    assessments = tuple(
        CodeNode(assessment_key(a), ASSESSMENT_LABELS[a].capitalize(), True, colour=colour)
        for a, colour in ASSESSMENT_COLOURS.items()
    )
    folders = [
        CodeNode(
            f"folder:indicators:{codebook.id}",
            f"Indikator: {codebook.name}",
            False,
            f"{codebook.theory}. {codebook.citation}",
            None,
            indicators,
        ),
        CodeNode("folder:functions", "Fungsi segmen", False, None, None, functions),
        CodeNode("folder:assessments", "Penilaian bukti", False, None, None, assessments),
    ]
    if findings is not None:
        for function, title in (
            ("obstacle", "Tema hambatan"),
            ("effort", "Tema upaya"),
            ("supporting_factor", "Tema faktor pendukung"),
        ):
            themes = findings.themes_for(function)
            if not themes:
                continue
            folders.append(
                CodeNode(
                    f"folder:themes:{codebook.id}:{function}",
                    title,
                    False,
                    None,
                    None,
                    tuple(
                        CodeNode(
                            theme_key(codebook.id, t.id),
                            f"{t.id} {t.label}",
                            True,
                            _theme_description(t),
                            FUNCTION_COLOURS[function],
                        )
                        for t in themes
                    ),
                )
            )
    return tuple(folders)
