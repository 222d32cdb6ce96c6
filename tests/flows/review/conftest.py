"""Fixtures: a synthetic coded corpus, its review app, and the app served on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flows.review.app import ReviewApp, ReviewServer, open_app
from tests.flows.review.corpus import make_corpus

SCRIPT_TEXT = (
    '<script>window.pwned = 1</script><img src=x onerror="window.pwned=2"> kata <b>tebal</b>'
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    out = tmp_path / "run"
    make_corpus(out, special={0: SCRIPT_TEXT})
    return out


@pytest.fixture
def app(corpus: Path) -> Iterator[ReviewApp]:
    review_app = open_app(corpus, "ani")
    yield review_app
    review_app.store.close()


@pytest.fixture
def server(app: ReviewApp) -> Iterator[ReviewServer]:
    running = ReviewServer(app, max_body=4096).start()
    yield running
    running.stop()


def call(
    server: ReviewServer,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = "header",
    headers: dict[str, str] | None = None,
) -> tuple[int, Any, dict[str, str]]:
    """One raw HTTP request; ``token='header'`` sends the right token the way the page does."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    sent = {"Host": f"127.0.0.1:{server.port}"}
    if token == "header":
        sent["X-Telaah-Token"] = server.guard.token
    elif token is not None:
        sent["X-Telaah-Token"] = token
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    sent.update(headers or {})
    conn.request(method, path, body=data, headers=sent)
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    try:
        payload = json.loads(raw)
    except ValueError:
        payload = raw.decode("utf-8", "replace")
    return response.status, payload, dict(response.getheaders())
