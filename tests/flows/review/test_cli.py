"""The CLI around the review database: agreement between two coders, export of the history."""

from __future__ import annotations

import json

from flows.cli.main import main


def test_agreement_and_export_for_two_coders(app, corpus, tmp_path, capsys):
    segments = app.store.queue("ani", app.filters({}), limit=6)
    for n, segment in enumerate(segments):
        app.store.record(
            "ani",
            segment["id"],
            "change",
            {"indicator": "komunikasi" if n < 3 else "inisiatif", "function": "indicator"},
        )
        app.store.record(
            "budi",
            segment["id"],
            "change",
            {"indicator": "komunikasi" if n < 4 else "inisiatif", "function": "indicator"},
        )
    assert main(["agreement", str(corpus), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["coders"] == ["ani", "budi"]
    (pair,) = report["pairs"]
    assert pair["n"] == 6 and abs(pair["agreement"] - 5 / 6) < 1e-9
    assert (
        abs(pair["per_indicator"]["komunikasi"] - pair["kappa"]) < 1e-9
    )  # two labels only: same question
    assert pair["per_indicator"]["kualitas_kerja"] is None  # neither coder used it
    assert [m["a"] for m in report["model"]] == ["ani", "budi"]
    out = tmp_path / "reviews.jsonl"
    assert main(["review-export", str(corpus), "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 12 and {r["coder"] for r in rows} == {"ani", "budi"}
    assert all(
        json.loads(r["before"])["indicator"] == app.store.segment(r["segment_id"])["indicator"]
        for r in rows
    )
