"""The bundled sample corpus parses as its authors say it should (corpora/sample/expected.yaml),
and every segment is an exact slice of its source's canonical text."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from flows.io.discover import iter_sources
from pipeline.ingest import read_transcript
from pipeline.records import Transcript
from pipeline.segment import SpacySegmenter
from tests.conftest import SAMPLE

EXPECTED = yaml.safe_load((SAMPLE / "expected.yaml").read_text(encoding="utf-8"))["files"]
FILES = sorted(EXPECTED)


@cache
def _transcript(name: str) -> Transcript:
    path = SAMPLE / name
    return read_transcript(path.read_bytes(), str(path))


def test_discovery_finds_exactly_the_transcripts() -> None:
    assert sorted(p.name for p in iter_sources([SAMPLE])) == FILES


def test_sample_covers_every_format_and_label_style() -> None:
    formats = {Path(name).suffix for name in FILES}
    assert formats >= {".txt", ".md", ".docx", ".odt", ".vtt", ".srt", ".csv", ".xlsx", ".jsonl"}
    styles = {_transcript(name).label_style for name in FILES}
    assert styles >= {
        "p_i", "peneliti_informan", "pewawancara_narasumber", "t_j", "bracket", "timestamped_named",
        "webvtt", "srt", "table", "jsonl", "none",
    }  # fmt: skip
    encodings = {_transcript(name).source.encoding for name in FILES}
    assert encodings >= {"utf-8", "utf-8-sig", "utf-16", "cp1252"}


@pytest.mark.parametrize("name", FILES)
def test_header_and_turns_match_expected(name: str) -> None:
    expected = EXPECTED[name]
    t = _transcript(name)
    assert t.label_style == expected["label_style"]
    if expected.get("encoding"):
        assert t.source.encoding == expected["encoding"]
    for field in ("informant", "role", "office", "date", "place"):
        if expected.get(field) is not None:
            assert getattr(t.meta, field) == expected[field], field
    kinds = Counter(turn.kind for turn in t.turns)
    assert kinds["interviewer"] == expected["interviewer_turns"]
    assert kinds["informant"] == expected["informant_turns"]
    informants = {turn.speaker for turn in t.turns if turn.kind == "informant"}
    if expected["informants"]:  # a file without labels has no speaker names to compare
        assert informants == set(expected["informants"])


@pytest.mark.parametrize("name", FILES)
def test_every_segment_is_an_exact_slice_of_the_canonical_text(name: str) -> None:
    t = _transcript(name)
    segments = SpacySegmenter().segment(t)
    assert segments
    informant_speech = sum(turn.end - turn.start for turn in t.turns if turn.kind == "informant")
    covered = 0
    for seg in segments:
        assert t.text[seg.start : seg.end] == seg.text
        assert seg.speaker_kind == "informant"
        covered += seg.end - seg.start
    assert covered >= 0.9 * informant_speech  # nothing the informant said is lost
