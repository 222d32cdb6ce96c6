from __future__ import annotations

import copy
import json
from dataclasses import fields, is_dataclass
from typing import get_args, get_type_hints

import pytest

from pipeline.errors import Errors, TelaahError
from pipeline.findings import (
    FINDINGS_VERSION,
    Findings,
    build_findings,
    findings_from_dict,
    findings_schema,
    findings_to_dict,
    validate_findings,
)
from pipeline.findings.serialise import schema_errors
from tests.pipeline.findings.study import build_study


@pytest.fixture(scope="module")
def data():
    study = build_study()
    found = build_findings(
        study.transcripts, study.segments, study.codes, study.embeddings, study.codebook
    )
    return found, findings_to_dict(found)


def test_findings_validate_and_survive_a_json_round_trip(data):
    found, as_dict = data
    validate_findings(as_dict)
    text = json.dumps(as_dict, ensure_ascii=False)
    assert findings_from_dict(json.loads(text)) == found
    assert as_dict["format"] == "telaah-findings" and as_dict["version"] == FINDINGS_VERSION


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d["indicators"][0].pop("judgement"), "/indicators/0"),
        (lambda d: d["themes"][0].__setitem__("function", "indicator"), "/themes/0/function"),
        (
            lambda d: d["indicators"][0]["quotes"][0].__setitem__("start", -1),
            "/indicators/0/quotes/0/start",
        ),
        (lambda d: d["links"][0].__setitem__("unexpected", 1), "/links/0"),
        (
            lambda d: d["corpus"]["informants"][0].__setitem__("role_category", "boss"),
            "/corpus/informants/0/role_category",
        ),
    ],
)
def test_the_schema_rejects_broken_documents(data, mutate, where):
    broken = copy.deepcopy(data[1])
    mutate(broken)
    problems = schema_errors(broken)
    assert problems and problems[0].startswith(where)
    with pytest.raises(TelaahError) as exc:
        validate_findings(broken)
    assert exc.value.code is Errors.E609


def test_another_version_is_refused_with_advice(data):
    old = dict(data[1], version="0")
    with pytest.raises(TelaahError) as exc:
        findings_from_dict(old, "out/findings.json")
    assert exc.value.code is Errors.E607 and "telaah code" in str(exc.value)


def _schema_of(schema, ref_or_node):
    node = ref_or_node
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    for option in node.get("anyOf", []):
        if option.get("type") != "null":
            return _schema_of(schema, option)
    return node


def test_schema_and_records_name_the_same_fields():
    schema = findings_schema()

    def check(kind, node):
        node = _schema_of(schema, node)
        names = [f.name for f in fields(kind)]
        assert set(node["properties"]) - {"format"} == set(names), kind.__name__
        assert set(node["required"]) - {"format"} == set(names), kind.__name__
        hints = get_type_hints(kind)
        for name in names:
            for arg in (hints[name], *get_args(hints[name])):
                inner = [a for a in (arg, *get_args(arg)) if is_dataclass(a)]
                for sub in inner:
                    child = _schema_of(schema, node["properties"][name])
                    check(sub, child.get("items", child))

    check(Findings, schema)
