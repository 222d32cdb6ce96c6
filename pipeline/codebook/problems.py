"""Turn JSON Schema verdicts into sentences a thesis writer can act on, each with its line.

jsonschema says "'x' is not of type 'array'"; a researcher editing YAML needs "'concepts' of
indicator 'inisiatif' should be a list — write one '- item' per line". Every problem carries
what is wrong and how to fix it, so the CLI and the error message can print them as they are.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

import yaml
from jsonschema import ValidationError
from yaml.nodes import Node

from pipeline.codebook.yamlnodes import locate

ID_PATTERN = "^[a-z][a-z0-9_]*$"

_EXPECTED = {
    "object": "a mapping of 'key: value' lines",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
}
_TYPE_FIX = {
    "object": "indent the fields under it as 'key: value' lines",
    "array": "write one '- item' per line under it, or [a, b] on one line",
    "string": "write it as text; put it in quotes if YAML reads it as a number, date or yes/no",
    "integer": "write a bare number without quotes, e.g. 'format_version: 1'",
}
_FIELD_FIX = {
    "format_version": "add 'format_version: 1' at the top of the file",
    "id": "add 'id:' with lowercase letters, digits and underscores, e.g. 'id: kualitas_kerja'",
    "name": "add 'name:' with the name shown to users",
    "theory": "add 'theory:' naming the theory, e.g. 'theory: Kasmir (2016)'",
    "citation": "add 'citation:' with the source as your thesis cites it",
    "description": "add 'description:' saying what the codebook is for",
    "indicators": "add 'indicators:' with at least two indicators",
    "label": "add 'label:' with the indicator's name as written in the thesis",
    "definition": "add 'definition:' with one to three sentences saying what evidence counts",
}


@dataclass(frozen=True, order=True)
class CodebookProblem:
    """One thing wrong with a codebook file, sortable by line."""

    path: str
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message} — {self.fix}"


def where(data: object, path: Sequence[str | int]) -> str:
    """Name a location the way a reader of the file would, e.g. "indicator 'inisiatif', 'label'"."""
    if not path:
        return "the file"
    parts: list[str] = []
    node = data
    previous: str | int | None = None
    for step in path:
        child = _child(node, step)
        if isinstance(step, int) and previous == "indicators":
            name = child.get("id") if isinstance(child, Mapping) else None
            parts[-1] = f"indicator '{name}'" if isinstance(name, str) else f"indicator #{step + 1}"
        elif isinstance(step, int):
            parts.append(f"item #{step + 1}")
        else:
            parts.append(f"'{step}'")
        node, previous = child, step
    return ", ".join(parts)


def explain(
    error: ValidationError, data: object, root: Node | None, path_name: str
) -> Iterator[CodebookProblem]:
    """One or more problems for one schema error (an unknown-fields error names each field)."""
    path = list(error.absolute_path)
    here = where(data, path)
    line = locate(root, path)
    kind = error.validator
    value = error.validator_value
    if kind == "required":
        missing = _quoted(error.message)
        fix = _FIELD_FIX.get(missing, f"add '{missing}:'")
        yield CodebookProblem(path_name, line, f"{here} has no '{missing}'", fix)
    elif kind == "additionalProperties" and isinstance(error.instance, Mapping):
        allowed = list(error.schema.get("properties", {}))
        for key in error.instance:
            if isinstance(key, str) and (key in allowed or key.startswith("x-")):
                continue
            hint = suggestion(str(key), allowed)
            yield CodebookProblem(
                path_name,
                locate(root, [*path, key]),
                f"unknown field '{key}' in {here}",
                f"check the spelling{hint}; allowed here: {', '.join(allowed)}; fields of your own start "
                "with 'x-'",
            )
    elif kind == "type":
        expected = value if isinstance(value, str) else str(value[0])
        message = (
            f"{here} should be {_EXPECTED.get(expected, expected)}, not {_kind_of(error.instance)}"
        )
        yield CodebookProblem(path_name, line, message, _TYPE_FIX.get(expected, "fix its type"))
    elif kind == "pattern" and value == ID_PATTERN:
        yield CodebookProblem(
            path_name,
            line,
            f"{here} is '{error.instance}', which is not a valid id",
            "use lowercase letters, digits and underscores, starting with a letter, "
            "e.g. 'kualitas_kerja'",
        )
    elif kind in {"minLength", "pattern"} and value in {1, r"\S"}:
        yield CodebookProblem(
            path_name,
            line,
            f"{here} is empty",
            "write the text, or remove the field if it is optional",
        )
    elif kind == "minItems" and path and path[-1] == "indicators":
        yield CodebookProblem(
            path_name,
            line,
            f"the codebook has {len(error.instance)} indicator(s)",
            f"a codebook needs at least {value}; add indicators",
        )
    elif kind == "const":
        yield CodebookProblem(
            path_name,
            line,
            f"{here} is {error.instance!r}",
            f"write {value!r}, the only version this Telaah reads",
        )
    elif kind == "uniqueItems" and isinstance(error.instance, list):
        for index, repeated in _repeats(error.instance):
            yield CodebookProblem(
                path_name,
                locate(root, [*path, index]),
                f"{here} lists '{repeated}' twice",
                "remove the repeated item",
            )
    else:
        yield CodebookProblem(
            path_name, line, f"{here}: {error.message}", "see the format in the README"
        )


def syntax_problem(exc: yaml.MarkedYAMLError, path: str) -> CodebookProblem:
    """Where the parser gave up, plus where the construct it was reading began, if elsewhere.

    An unclosed quote or bracket makes the parser run to the end of the file; the line worth
    showing then is where the construct opened, not the last line.
    """
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 1
    started = exc.context_mark.line + 1 if exc.context_mark is not None else line
    what = exc.problem or exc.context or "the parser stopped here"
    if exc.context and "end of stream" in what:
        thing = exc.context.removeprefix("while ").removeprefix("scanning ")
        thing = thing.removeprefix("parsing ")
        what, line = f"{thing} opened on this line is never closed", started
    elif exc.context:
        where = f" that starts on line {started}" if started != line else ""
        what += f" ({exc.context}{where})"
    if "\\t" in what or "\t" in what:  # PyYAML quotes the tab as a repr
        fix = "replace the tab characters with spaces; YAML indents with spaces only"
    else:
        fix = (
            "check the indentation, the ':' after each key, and quotes or brackets left open "
            "on this line or above"
        )
    return CodebookProblem(path, line, f"YAML syntax error: {what}", fix)


def suggestion(name: str, known: Collection[str]) -> str:
    """ " (did you mean 'x'?)" for the closest known name, or nothing when none is close."""
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _quoted(message: str) -> str:
    match = re.match(r"^'(.*)' is a required property", message)
    return match.group(1) if match else message


def _kind_of(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"yes/no ({value})"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ('{value}')"
    return type(value).__name__  # dates and other YAML scalars


def _repeats(items: list[object]) -> Iterator[tuple[int, object]]:
    seen: list[object] = []
    for index, item in enumerate(items):
        if item in seen:
            yield index, item
        else:
            seen.append(item)


def _child(node: object, step: str | int) -> object:
    if isinstance(node, Mapping):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return None
