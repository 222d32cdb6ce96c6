"""Codebook parsing: every kind of mistake is reported with the file name and the right line."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from pipeline.codebook import (
    Codebook,
    CodebookProblem,
    check_codebook,
    codebook_schema,
    parse_codebook,
    parse_concepts,
)
from pipeline.errors import CodebookError, Errors

PATH = "contoh_user.yaml"
KNOWN = {"work_quality", "timeliness", "teamwork", "citizen_satisfaction"}

# Line numbers matter: the tests below point at them.
VALID = """\
format_version: 1
id: contoh
name: Contoh
theory: Teori contoh
citation: "Penulis (2020). Judul Buku. Kota: Penerbit."
language: id
description: Codebook kecil untuk pengujian.
indicators:
  - id: mutu
    label: Mutu
    definition: Mutu hasil kerja aparatur.
    sub_indicators:
      - hasil kerja
      - ketelitian
    typical_phrases:
      - hasilnya rapi
      - sering salah ketik
    concepts:
      - work_quality
      - citizen_satisfaction
  - id: waktu
    label: Waktu
    definition: Ketepatan waktu penyelesaian.
    concepts:
      - timeliness
"""


def edited(replacements: dict[int, str | None], extra: dict[int, str] | None = None) -> str:
    """VALID with 1-based lines replaced (None deletes) and lines inserted after others."""
    lines = VALID.splitlines()
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        new = replacements.get(number, line)
        if new is not None:
            out.append(new)
        if extra and number in extra:
            out.extend(extra[number].splitlines())
    return "\n".join(out) + "\n"


def problems(text: str, known: set[str] | None = KNOWN) -> list[CodebookProblem]:
    return check_codebook(text, PATH, known)


def error_of(text: str, known: set[str] | None = KNOWN) -> CodebookError:
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, PATH, known)
    return info.value


def assert_single(text: str, line: int, *words: str) -> None:
    error = error_of(text)
    message = str(error)
    assert error.code is Errors.E301, message
    assert f"{PATH}:{line}:" in message, message
    for word in words:
        assert word in message, message


def test_valid_codebook_parses_into_the_model() -> None:
    book = parse_codebook(VALID, PATH, KNOWN)
    assert isinstance(book, Codebook)
    assert book.id == "contoh"
    assert book.indicator_ids == ("mutu", "waktu")
    assert book.source == PATH
    assert book.language == "id"
    assert book.indicator("mutu").sub_indicators == ("hasil kerja", "ketelitian")
    assert book.indicator("waktu").concepts == ("timeliness",)
    assert problems(VALID) == []


def test_indicator_for_concepts_takes_the_first_concept_this_codebook_maps() -> None:
    book = parse_codebook(VALID, PATH, KNOWN)
    assert book.indicator_for_concepts(["teamwork", "timeliness", "work_quality"]) == "waktu"
    assert book.indicator_for_concepts(["citizen_satisfaction"]) == "mutu"
    assert book.indicator_for_concepts(["teamwork"]) is None
    assert book.indicator_for_concepts([]) is None
    assert book.concepts == ("work_quality", "citizen_satisfaction", "timeliness")


def test_unknown_indicator_names_the_valid_ones() -> None:
    book = parse_codebook(VALID, PATH, KNOWN)
    with pytest.raises(CodebookError) as info:
        book.indicator("kecepatan")
    assert info.value.code is Errors.E305
    assert "mutu, waktu" in str(info.value)


def test_yaml_syntax_error_names_the_line() -> None:
    assert_single(edited({11: "    definition: Mutu hasil kerja: teliti: rapi"}), 11, "YAML syntax")
    assert_single(edited({16: '      - "hasilnya rapi'}), 16, "quoted scalar", "never closed")
    assert_single(edited({19: "      - [work_quality"}), 21, "expected ',' or ']'", "on line 19")


def test_tab_indentation_is_explained() -> None:
    assert_single(edited({22: "\tlabel: Waktu"}), 22, "tab")


def test_missing_field_points_at_its_indicator() -> None:
    assert_single(edited({22: None}), 21, "indicator 'waktu' has no 'label'")
    assert_single(edited({3: None}), 1, "has no 'name'", "add 'name:'")


def test_wrong_type_points_at_the_field() -> None:
    text = edited({15: "    typical_phrases: hasilnya rapi", 16: None, 17: None})
    assert_single(text, 15, "'typical_phrases' should be a list", "text ('hasilnya rapi')")
    assert_single(edited({1: 'format_version: "1"'}), 1, "should be a whole number")


def test_bad_id_pattern() -> None:
    assert_single(
        edited({21: "  - id: Ketepatan Waktu"}), 21, "'Ketepatan Waktu'", "not a valid id"
    )
    assert_single(edited({2: "id: 2contoh"}), 2, "not a valid id")


def test_duplicate_indicator_id() -> None:
    assert_single(
        edited({21: "  - id: mutu", 25: "      - teamwork"}), 21, "'mutu' is used twice", "line 9"
    )


def test_unknown_concept_suggests_a_close_one() -> None:
    assert_single(
        edited({25: "      - timelines"}), 25, "unknown concept 'timelines'", "'timeliness'"
    )


def test_unknown_concepts_are_not_checked_without_a_concept_list() -> None:
    assert problems(edited({25: "      - timelines"}), known=None) == []


def test_concept_mapped_to_two_indicators() -> None:
    assert_single(
        edited({25: "      - work_quality"}),
        25,
        "concept 'work_quality' is mapped to indicator 'waktu'",
        "'mutu' (line 19)",
    )


def test_repeated_concept_within_one_indicator_is_a_repeat_not_a_double_mapping() -> None:
    assert_single(edited({20: "      - work_quality"}), 20, "lists 'work_quality' twice")


def test_unknown_field_suggests_the_spelling_and_x_fields_pass() -> None:
    found = problems(edited({11: "    defintion: Mutu hasil kerja."}))
    assert [(p.line, p.message) for p in found] == [
        (9, "indicator 'mutu' has no 'definition'"),
        (11, "unknown field 'defintion' in indicator 'mutu'"),
    ]
    assert "did you mean 'definition'?" in found[1].fix
    extended = edited({}, extra={7: "x-bab: IV", 11: "    x-catatan: dari Bab II"})
    assert problems(extended) == []


def test_duplicate_yaml_key_is_reported_not_silently_dropped() -> None:
    assert_single(
        edited({}, extra={11: "    definition: Definisi kedua."}), 12, "'definition' appears twice"
    )


def test_merge_keys_overriding_an_anchor_are_not_duplicates() -> None:
    indicators = """\
indicators:
  - &dasar
    id: mutu
    label: Mutu
    definition: Mutu hasil kerja aparatur.
  - <<: *dasar
    id: waktu
    label: Waktu
"""
    text = VALID.split("indicators:")[0] + indicators
    book = parse_codebook(text, PATH, KNOWN)
    assert book.indicator("waktu").definition == "Mutu hasil kerja aparatur."


def test_too_few_indicators_and_empty_text() -> None:
    one = "\n".join(VALID.splitlines()[:20]) + "\n"
    assert_single(one, 8, "has 1 indicator", "at least 2")
    assert_single(edited({7: 'description: "  "'}), 7, "'description' is empty")


def test_empty_file_and_non_mapping() -> None:
    assert_single("", 1, "empty")
    assert_single("# hanya komentar\n", 1, "empty")
    assert_single("- mutu\n- waktu\n", 1, "should be a mapping")


def test_many_problems_come_together_sorted_by_line() -> None:
    text = edited({2: "id: Contoh", 22: None, 25: "      - work_quality"}, extra={6: "catatan: x"})
    error = error_of(text)
    message = str(error)
    assert error.code is Errors.E303
    assert "4 problems" in message
    lines = [int(n) for n in re.findall(rf"^  {re.escape(PATH)}:(\d+): ", message, re.MULTILINE)]
    assert lines == [2, 7, 22, 25]
    assert message.rstrip().endswith("See corpora/codebooks/README.md for the codebook format.")
    for problem in problems(text):
        assert " — " in str(problem) and str(problem).startswith(f"{PATH}:{problem.line}: ")


def test_built_in_ids_can_be_reserved() -> None:
    found = check_codebook(VALID, PATH, KNOWN, reserved_ids={"contoh"})
    assert [(p.line, p.message) for p in found] == [
        (2, "'contoh' is the id of a built-in codebook")
    ]


def test_schema_is_valid_draft_2020_12_and_requires_the_core_fields() -> None:
    schema = codebook_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) >= {"format_version", "id", "name", "indicators"}
    assert schema["properties"]["indicators"]["minItems"] == 2
    assert schema["$defs"]["id"]["pattern"] == "^[a-z][a-z0-9_]*$"
    assert schema["additionalProperties"] is False
    assert "^x-" in schema["patternProperties"]


CONCEPTS = """\
format_version: 1
concepts:
  work_quality:
    description_en: Quality of the work.
    description_id: Mutu hasil kerja.
  timeliness:
    description_en: Finished on time.
    description_id: Selesai tepat waktu.
"""


def test_parse_concepts_in_both_languages() -> None:
    assert parse_concepts(CONCEPTS, "concepts.yaml") == {
        "work_quality": "Quality of the work.",
        "timeliness": "Finished on time.",
    }
    assert parse_concepts(CONCEPTS, "concepts.yaml", "id")["timeliness"] == "Selesai tepat waktu."


def test_parse_concepts_reports_lines() -> None:
    broken = CONCEPTS.replace("  timeliness:", "  Timeliness:").replace(
        "    description_id: Mutu hasil kerja.\n", ""
    )
    with pytest.raises(CodebookError) as info:
        parse_concepts(broken, "concepts.yaml")
    message = str(info.value)
    assert "concepts.yaml:3: 'concepts', 'work_quality' has no 'description_id'" in message
    assert "concepts.yaml:5: 'Timeliness' is not a valid concept id" in message


def test_keys_yaml_would_read_as_numbers_or_booleans_stay_text() -> None:
    assert_single(
        edited({}, extra={22: "    yes: 3"}), 23, "unknown field 'yes' in indicator 'waktu'"
    )
    assert_single(edited({}, extra={7: "1: satu"}), 8, "unknown field '1' in the file")
    assert_single(edited({10: "    label: yes"}), 10, "should be text, not yes/no")
