"""Codebook text to :class:`Codebook`, reporting every problem at once with its file and line.

Researchers write their own codebooks by hand; a loader that stops at the first mistake makes
them fix one line per run. So syntax, schema and cross-field checks all run, and their findings
come back together, sorted by line, each saying how to fix it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from jsonschema import Draft202012Validator

from pipeline.codebook.model import Codebook, Indicator
from pipeline.codebook.problems import (
    ID_PATTERN,
    CodebookProblem,
    explain,
    suggestion,
    syntax_problem,
)
from pipeline.codebook.yamlnodes import Loaded, load_with_nodes, locate
from pipeline.errors import CodebookError, Errors

CONCEPTS_FILE = "corpora/codebooks/concepts.yaml"


@cache
def codebook_schema() -> dict[str, Any]:
    """The JSON Schema shipped beside this module (package data, not user input)."""
    text = resources.files("pipeline.codebook").joinpath("schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return schema


def check_codebook(
    text: str,
    path: str,
    known_concepts: Collection[str] | None = None,
    reserved_ids: Collection[str] = (),
) -> list[CodebookProblem]:
    """Every problem in a codebook file; an empty list means it loads."""
    return _analyse(text, path, known_concepts, reserved_ids)[0]


def parse_codebook(
    text: str,
    path: str,
    known_concepts: Collection[str] | None = None,
    reserved_ids: Collection[str] = (),
) -> Codebook:
    """Parse and validate; raise one :class:`CodebookError` listing every problem.

    ``known_concepts`` turns on the check that each concept exists (the loader passes the
    shared concept list); ``reserved_ids`` stops a user copy of a built-in from reusing its id,
    which would mix the two codebooks' trained models.
    """
    problems, loaded = _analyse(text, path, known_concepts, reserved_ids)
    if problems:
        raise problems_error(path, problems)
    assert isinstance(loaded.data, Mapping)  # no problems means the schema held
    return _build(loaded.data, path)


def problems_error(path: str, problems: list[CodebookProblem]) -> CodebookError:
    if len(problems) == 1:
        only = problems[0]
        detail = f"{only.message} — {only.fix}"
        return CodebookError.make(Errors.E301, path=path, line=only.line, detail=detail)
    listing = "\n".join(f"  {problem}" for problem in problems)
    return CodebookError.make(Errors.E303, path=path, count=len(problems), problems=listing)


def parse_yaml(text: str, path: str) -> tuple[Loaded | None, list[CodebookProblem]]:
    """YAML with node marks, or the syntax error as a problem on the line the parser stopped."""
    try:
        loaded = load_with_nodes(text)
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(exc, path)]
    except yaml.YAMLError as exc:
        return None, [CodebookProblem(path, 1, f"YAML error: {exc}", "save the file as UTF-8 YAML")]
    duplicates = [
        CodebookProblem(
            path,
            dup.line,
            f"the key '{dup.key}' appears twice in the same block (first on line {dup.first_line})",
            "remove one of them; YAML would silently keep only the last",
        )
        for dup in loaded.duplicates
    ]
    if loaded.root is None:
        return None, [CodebookProblem(path, 1, "the file is empty", "write the codebook fields")]
    return loaded, duplicates


def _analyse(
    text: str,
    path: str,
    known_concepts: Collection[str] | None,
    reserved_ids: Collection[str],
) -> tuple[list[CodebookProblem], Loaded]:
    loaded, problems = parse_yaml(text, path)
    if loaded is None:
        return problems, Loaded(None, None, ())
    data, root = loaded.data, loaded.root
    errors = list(Draft202012Validator(codebook_schema()).iter_errors(data))
    type_broken = {tuple(error.absolute_path) for error in errors if error.validator == "type"}
    for error in errors:
        at = tuple(error.absolute_path)
        if error.validator != "type" and at in type_broken:
            continue  # "'1' is not 1" adds nothing to "should be a number, not text"
        problems.extend(explain(error, data, root, path))
    if isinstance(data, Mapping):
        codebook_id = data.get("id")
        if isinstance(codebook_id, str) and codebook_id in reserved_ids:
            problems.append(
                CodebookProblem(
                    path,
                    locate(root, ["id"]),
                    f"'{codebook_id}' is the id of a built-in codebook",
                    "give your codebook its own id, e.g. "
                    f"'{codebook_id}_custom', so its trained models stay apart",
                )
            )
        problems.extend(_cross_checks(data, loaded, path, known_concepts))
    unique = sorted(set(problems))
    return unique, loaded


def _cross_checks(
    data: Mapping[str, Any],
    loaded: Loaded,
    path: str,
    known_concepts: Collection[str] | None,
) -> list[CodebookProblem]:
    """What JSON Schema cannot say: unique indicator ids, known concepts, one indicator each."""
    indicators = data.get("indicators")
    if not isinstance(indicators, list):
        return []
    problems: list[CodebookProblem] = []
    first_id_line: dict[str, int] = {}
    owner: dict[str, tuple[int, str, int]] = {}
    for position, item in enumerate(indicators):
        if not isinstance(item, Mapping):
            continue
        ident = item.get("id")
        name = ident if isinstance(ident, str) else f"#{position + 1}"
        if isinstance(ident, str):
            line = locate(loaded.root, ["indicators", position, "id"])
            if ident in first_id_line:
                problems.append(
                    CodebookProblem(
                        path,
                        line,
                        f"indicator id '{ident}' is used twice (first on line {first_id_line[ident]})",
                        "give each indicator its own id, or merge the two",
                    )
                )
            else:
                first_id_line[ident] = line
        concepts = item.get("concepts")
        if not isinstance(concepts, list):
            continue
        for index, concept in enumerate(concepts):
            if not isinstance(concept, str) or not re.fullmatch(ID_PATTERN, concept):
                continue  # the schema already reported it
            line = locate(loaded.root, ["indicators", position, "concepts", index])
            if known_concepts is not None and concept not in known_concepts:
                problems.append(
                    CodebookProblem(
                        path,
                        line,
                        f"indicator '{name}' uses the unknown concept '{concept}'",
                        f"use a concept id from {CONCEPTS_FILE}{suggestion(concept, known_concepts)}, "
                        "or remove it (an indicator may list no concepts)",
                    )
                )
                continue
            if concept not in owner:
                owner[concept] = (position, name, line)
            elif owner[concept][0] != position:
                first_position, first_name, first_line = owner[concept]
                if first_name == name:  # two indicators share an id; tell them apart
                    first_name += f" #{first_position + 1}"
                    name += f" #{position + 1}"
                problems.append(
                    CodebookProblem(
                        path,
                        line,
                        f"concept '{concept}' is mapped to indicator '{name}' and also to "
                        f"'{first_name}' (line {first_line})",
                        "a concept may feed only one indicator per codebook; remove it from one",
                    )
                )
    return problems


def _build(data: Mapping[str, Any], path: str) -> Codebook:
    indicators = tuple(
        Indicator(
            id=item["id"],
            label=item["label"].strip(),
            definition=item["definition"].strip(),
            sub_indicators=tuple(text.strip() for text in item.get("sub_indicators", ())),
            typical_phrases=tuple(text.strip() for text in item.get("typical_phrases", ())),
            concepts=tuple(item.get("concepts", ())),
        )
        for item in data["indicators"]
    )
    return Codebook(
        id=data["id"],
        name=data["name"].strip(),
        theory=data["theory"].strip(),
        citation=data["citation"].strip(),
        description=data["description"].strip(),
        indicators=indicators,
        format_version=data["format_version"],
        source=path,
        language=data.get("language", "id"),
    )


_CONCEPTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["format_version", "concepts"],
    "properties": {
        "format_version": {"type": "integer", "const": 1},
        "concepts": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "required": ["description_en", "description_id"],
                "properties": {
                    "description_en": {"type": "string", "minLength": 1, "pattern": r"\S"},
                    "description_id": {"type": "string", "minLength": 1, "pattern": r"\S"},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


def parse_concepts(text: str, path: str, language: Literal["en", "id"] = "en") -> dict[str, str]:
    """Concept id to its description (``en`` or ``id``), in file order; problems as for codebooks."""
    loaded, problems = parse_yaml(text, path)
    if loaded is not None:
        validator = Draft202012Validator(_CONCEPTS_SCHEMA)
        for error in validator.iter_errors(loaded.data):
            problems.extend(explain(error, loaded.data, loaded.root, path))
        concepts = loaded.data.get("concepts") if isinstance(loaded.data, Mapping) else None
        for concept in concepts if isinstance(concepts, Mapping) else ():
            if not isinstance(concept, str) or not re.fullmatch(ID_PATTERN, concept):
                problems.append(
                    CodebookProblem(
                        path,
                        locate(loaded.root, ["concepts", str(concept)]),
                        f"'{concept}' is not a valid concept id",
                        "use lowercase letters, digits and underscores, starting with a letter",
                    )
                )
    if problems:
        raise problems_error(path, sorted(set(problems)))
    assert loaded is not None and isinstance(loaded.data, Mapping)
    field = f"description_{language}"
    return {concept: entry[field].strip() for concept, entry in loaded.data["concepts"].items()}
