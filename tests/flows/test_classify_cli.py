"""The ``telaah classify`` contract other tools rely on, with the real model (slow)."""

from __future__ import annotations

import io
import json
import sys

import pytest

from flows.cli.main import main

pytestmark = pytest.mark.slow

LINES = [
    '{"id": "a", "text": "Pegawai di sini selalu menyelesaikan berkas tepat waktu, tidak pernah terlambat."}',
    "{not json",
    '{"id": "b", "text": "Kendalanya jaringan internet di kantor sering putus, jadi input data tertunda."}',
    '{"id": "c"}',
    '{"id": "d", "text": "Assalamualaikum, silakan duduk dulu, Pak, saya ambilkan teh."}',
    '["a list"]',
]


def test_classify_contract_and_bad_lines(trained_mitchell, monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(LINES) + "\n"))
    status = main(["classify", "--codebook", "mitchell"])
    captured = capsys.readouterr()
    assert status == 1  # bad lines were reported
    for number in (2, 4, 6):
        assert f"input line {number}:" in captured.err
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "d"]
    indicator_ids = {"kualitas_kerja", "ketepatan_waktu", "inisiatif", "kemampuan", "komunikasi"}
    for row in rows:
        assert set(row) == {
            "id", "indicator", "indicator_score", "indicators", "function", "function_scores",
            "scope", "assessment", "model_version",
        }  # fmt: skip
        assert row["indicator"] is None or row["indicator"] in indicator_ids
        assert {i["id"] for i in row["indicators"]} == indicator_ids
        scores = [i["score"] for i in row["indicators"]]
        assert scores == sorted(scores, reverse=True)
        assert row["function"] in row["function_scores"]
        assert row["assessment"] in ("positive", "negative", "mixed", "neutral")
        assert (row["scope"] is not None) == (row["function"] == "obstacle")
        assert row["model_version"] == f"mitchell/{trained_mitchell.entry.version}"
    by_id = {r["id"]: r for r in rows}
    assert by_id["a"]["indicators"][0]["id"] == "ketepatan_waktu"
    assert by_id["b"]["function"] == "obstacle"
    assert by_id["d"]["function"] == "other" and by_id["d"]["indicator"] is None
