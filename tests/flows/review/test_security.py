"""Issue item 5: no access without the token, no cross-site writes, size-limited bodies."""

from __future__ import annotations

from flows.review.storage import Filters
from tests.flows.review.conftest import call


def test_requests_without_token_are_refused(server):
    for path in ("/", "/api/state", "/api/next", "/api/export", "/static/app.js"):
        status, payload, _ = call(server, "GET", path, token=None)
        assert status == 403, path
        assert "segment" not in str(payload)


def test_wrong_token_is_refused(server):
    status, _, _ = call(server, "GET", "/api/state", token="not-the-token")
    assert status == 403
    status, _, _ = call(server, "GET", "/?token=not-the-token", token=None)
    assert status == 403


def test_page_opens_with_token_in_url_and_sets_strict_headers(server):
    status, _, headers = call(server, "GET", f"/?token={server.guard.token}", token=None)
    assert status == 200
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert server.url.startswith("http://127.0.0.1:")


def test_write_needs_token_header_not_just_query(server, app):
    segment = app.store.queue("ani", Filters())[0]
    body = {"segment_id": segment["id"], "action": "accept"}
    status, _, _ = call(server, "POST", f"/api/review?token={server.guard.token}", body, token=None)
    assert status == 403
    assert app.store.progress("ani")["reviewed"] == 0


def test_cross_site_write_is_refused(server, app):
    segment_id = app.store.queue("ani", Filters())[0]["id"]
    body = {"segment_id": segment_id, "action": "accept"}
    for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        status, _, _ = call(server, "POST", "/api/review", body, headers=headers)
        assert status == 403, headers
    status, _, _ = call(server, "POST", "/api/review", body, headers={"Content-Type": "text/plain"})
    assert status == 415  # a simple cross-site form post cannot send application/json
    assert app.store.progress("ani")["reviewed"] == 0
    status, _, _ = call(
        server, "POST", "/api/review", body, headers={"Origin": f"http://127.0.0.1:{server.port}"}
    )
    assert status == 200


def test_foreign_host_header_is_refused(server):
    status, _, _ = call(server, "GET", "/api/state", headers={"Host": "attacker.example:80"})
    assert status == 403


def test_oversized_body_is_refused(server):
    status, _, _ = call(server, "POST", "/api/review", b"{" + b" " * 5000 + b"}")
    assert status == 413


def test_server_listens_on_loopback_only(server):
    assert server.httpd.server_address[0] == "127.0.0.1"
