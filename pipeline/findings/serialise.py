"""``findings.json``: the findings as plain JSON, its schema, and the way back to records.

The JSON is a direct dump of the frozen records (field names are the schema's property names)
with a ``format`` marker and the ``version``, so other tools can check what they read and a
report can be re-rendered later from the file alone.
"""

from __future__ import annotations

import json
import types
from dataclasses import asdict, fields, is_dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from jsonschema import Draft202012Validator

from pipeline.errors import Errors, TelaahError
from pipeline.findings.model import FINDINGS_VERSION, Findings

FORMAT = "telaah-findings"


def findings_to_dict(findings: Findings) -> dict[str, Any]:
    """JSON-native (lists, not tuples), so it validates and compares equal after a dump."""
    return {"format": FORMAT, **_lists(asdict(findings))}


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


@cache
def findings_schema() -> dict[str, Any]:
    """The JSON Schema shipped beside this module (draft 2020-12)."""
    text = resources.files("pipeline.findings").joinpath("schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return schema


def schema_errors(data: Any) -> list[str]:
    """Every schema violation as ``"path: message"``; empty when ``data`` is valid."""
    validator = Draft202012Validator(findings_schema())
    return [
        f"/{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]


def validate_findings(data: Any) -> None:
    problems = schema_errors(data)
    if problems:
        where, _, detail = problems[0].partition(": ")
        raise TelaahError.make(Errors.E609, where=where, detail=detail)


def findings_from_dict(data: dict[str, Any], path: str = "findings.json") -> Findings:
    """Read findings written by :func:`findings_to_dict` (same format version only)."""
    got = data.get("version") if isinstance(data, dict) else None
    if got != FINDINGS_VERSION:
        raise TelaahError.make(Errors.E607, path=path, got=got, expected=FINDINGS_VERSION)
    validate_findings(data)
    result = _decode(Findings, data)
    assert isinstance(result, Findings)
    return result


def _decode(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, type) and is_dataclass(kind):
        hints = get_type_hints(kind)
        return kind(**{f.name: _decode(hints[f.name], value[f.name]) for f in fields(kind)})
    origin = get_origin(kind)
    if origin is tuple:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in value)
        return tuple(_decode(a, item) for a, item in zip(args, value, strict=True))
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(kind) if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if origin is Literal or kind in (str, int, bool):
        return value
    if kind is float:
        return float(value)
    return value
