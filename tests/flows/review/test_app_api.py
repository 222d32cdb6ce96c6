"""The JSON API the page uses: next with context, review, undo, filters, export, agreement."""

from __future__ import annotations

from tests.flows.review.conftest import SCRIPT_TEXT, call


def test_next_returns_the_segment_in_its_context(server):
    status, data, _ = call(server, "GET", "/api/next")
    assert status == 200
    segment, context = data["segment"], data["context"]
    assert data["remaining"] == 20 and segment["queue_rank"] == 0
    current = [t for t in context["turns"] if t["current"]]
    assert len(current) == 1
    a, b = current[0]["mark"]
    assert current[0]["text"][a:b] == segment["text"]
    assert any(t["kind"] == "interviewer" for t in context["turns"])
    assert context["source"]["role"] == segment["role"]
    assert set(segment["scores"]) == {"indicators", "functions"}


def test_review_then_undo_over_http(server):
    _, first, _ = call(server, "GET", "/api/next")
    seg = first["segment"]["id"]
    status, data, _ = call(
        server,
        "POST",
        "/api/review",
        {"segment_id": seg, "action": "change", "indicator": "komunikasi", "function": "indicator"},
    )
    assert status == 200 and data["progress"]["changed"] == 1
    _, after, _ = call(server, "GET", "/api/next")
    assert after["segment"]["id"] != seg and after["remaining"] == 19
    _, undone, _ = call(server, "POST", "/api/undo", {})
    assert undone["segment_id"] == seg and undone["progress"]["reviewed"] == 0
    _, again, _ = call(server, "GET", "/api/next")
    assert again["segment"]["id"] == seg


def test_bad_review_is_a_clear_400(server):
    status, data, _ = call(
        server, "POST", "/api/review", {"segment_id": "nope", "action": "accept"}
    )
    assert status == 400 and "E802" in data["error"]
    status, data, _ = call(server, "POST", "/api/review", b"{not json")
    assert status == 400


def test_filters_over_http(server):
    status, data, _ = call(server, "GET", "/api/next?function=obstacle&max_conf=1")
    assert status == 200 and data["segment"]["function"] == "obstacle"
    status, data, _ = call(server, "GET", "/api/next?indicator=does_not_exist")
    assert data["segment"] is None and data["remaining"] == 0


def test_script_text_travels_as_data(server, app):
    segment = app.store.segment(
        next(
            s["id"]
            for s in app.store.queue("ani", app.filters({}), limit=100)
            if "<script>" in s["text"]
        )
    )
    assert segment["text"] == SCRIPT_TEXT  # stored verbatim; the page renders it as text


def test_export_and_agreement(server):
    _, data, _ = call(server, "GET", "/api/next")
    call(server, "POST", "/api/review", {"segment_id": data["segment"]["id"], "action": "accept"})
    status, export, _ = call(server, "GET", f"/api/export?token={server.guard.token}", token=None)
    assert status == 200 and export["reviews"][0]["action"] == "accept"
    status, agreement, _ = call(server, "GET", "/api/agreement")
    assert status == 200 and agreement["coders"] == ["ani"]
    assert agreement["model"][0]["agreement"] == 1.0 and agreement["model"][0]["n"] == 1
